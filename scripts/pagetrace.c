/*
 * pagetrace: an LD_PRELOAD library that writes, in the order they are first run, the pages of the main
 * executable's .text (offsets from the load address, one hexadecimal number a line) to $PAGETRACE_OUT.
 *
 * It takes every whole page of .text away (PROT_NONE) before the executable's own initialisers run; the first
 * instruction fetched from a page faults, the handler writes the page down and gives it back read and execute
 * rights, and the program goes on. scripts/symbol-order.sh turns the pages into the linker's symbol order
 * (docs/performance.md, "The code a gateway keeps in memory"). A development tool: never part of the gateway.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uintptr_t text_start, text_end, load_bias;
static int out_fd = -1;

static void write_page(uintptr_t offset) {
    char digits[2 * sizeof offset + 1];
    int count = 0;
    do {
        digits[sizeof digits - 2 - count++] = "0123456789abcdef"[offset & 15];
        offset >>= 4;
    } while (offset != 0);
    digits[sizeof digits - 1] = '\n';
    (void)!write(out_fd, digits + sizeof digits - 1 - count, count + 1);
}

static void on_fault(int signal_number, siginfo_t *info, void *context) {
    (void)context;
    uintptr_t address = (uintptr_t)info->si_addr;
    if (address < text_start || address >= text_end) {
        signal(signal_number, SIG_DFL);
        return;
    }
    uintptr_t page = address & ~(uintptr_t)4095;
    mprotect((void *)page, 4096, PROT_READ | PROT_EXEC);
    write_page(page - load_bias);
}

static int find_executable(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    (void)data;
    if (info->dlpi_name != NULL && info->dlpi_name[0] != '\0') return 0;
    load_bias = info->dlpi_addr;
    return 1;
}

static int find_text(void) {
    int fd = open("/proc/self/exe", O_RDONLY);
    if (fd < 0) return -1;
    Elf64_Ehdr header;
    if (pread(fd, &header, sizeof header, 0) != sizeof header) return -1;
    size_t table_size = (size_t)header.e_shnum * sizeof(Elf64_Shdr);
    Elf64_Shdr *sections = malloc(table_size);
    if (pread(fd, sections, table_size, (off_t)header.e_shoff) != (ssize_t)table_size) return -1;
    Elf64_Shdr names_section = sections[header.e_shstrndx];
    char *names = malloc(names_section.sh_size);
    if (pread(fd, names, names_section.sh_size, (off_t)names_section.sh_offset) != (ssize_t)names_section.sh_size)
        return -1;
    for (int index = 0; index < header.e_shnum; index++) {
        if (strcmp(names + sections[index].sh_name, ".text") != 0) continue;
        text_start = (load_bias + sections[index].sh_addr + 4095) & ~(uintptr_t)4095;
        text_end = (load_bias + sections[index].sh_addr + sections[index].sh_size) & ~(uintptr_t)4095;
    }
    free(names);
    free(sections);
    close(fd);
    return text_end > text_start ? 0 : -1;
}

__attribute__((constructor)) static void start_tracing(void) {
    const char *path = getenv("PAGETRACE_OUT");
    if (path == NULL) return;
    dl_iterate_phdr(find_executable, NULL);
    if (find_text() != 0) return;
    out_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out_fd < 0) return;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &action, NULL);
    mprotect((void *)text_start, text_end - text_start, PROT_NONE);
}
