#!/usr/bin/env python3
"""The linker's symbol order from the pages a gateway ran (scripts/pagetrace.c).

    scripts/symbol-order.py MAP PAGES... > scripts/symbol-order.txt

MAP is lld's link map (-Map, with --no-demangle) of the program the pages were traced in; each PAGES file
holds .text page offsets in the order they were first run. `make release` hands the output to lld
(--symbol-ordering-file), which lays the sections it names out first, in its order, so the code a running
gateway touches fills few pages instead of being spread over the whole of .text. It names:

1. one symbol of every function section (`.text.<name>`, from -function-sections) on a traced page, in the
   order of the pages' first run and by address within a page;
2. then one symbol of every whole-object section (`.text` of an archive built without function sections,
   such as Foundation's) on a traced page, so that those sit together after the functions. Such a section
   cannot be split, and a name it also defines (a local symbol, such as a generic specialisation two modules
   both made) is left out of the first list: lld would move every section that defines the name.
"""
import bisect
import sys

PAGE = 4096


class Section:
    """One input section of .text: where it lies, whether it is a whole object's, and its first symbol."""

    def __init__(self, start, size, whole_object):
        self.start = start
        self.end = start + size
        self.whole_object = whole_object
        self.symbol = None


def text_sections(map_path):
    """The input sections of .text that have a symbol, sorted by start, and every name a whole object defines."""
    sections = []
    whole_object_names = set()
    in_text = False
    section = None
    with open(map_path) as lines:
        for line in lines:
            columns = line[:48].split()
            if len(columns) != 4:
                continue
            name = line[48:].rstrip("\n")
            depth = len(name) - len(name.lstrip(" "))
            name = name.strip()
            if depth == 1:
                in_text = name == ".text"
            elif in_text and depth == 9:
                size = int(columns[2], 16)
                whole_object = name.endswith(":(.text)")
                is_function = ":(.text." in name and name.endswith(")")
                section = Section(int(columns[0], 16), size, whole_object) if size and (whole_object or is_function) else None
                if section is not None:
                    sections.append(section)
            elif in_text and depth == 17 and section is not None:
                if section.whole_object:
                    whole_object_names.add(name)
                if section.symbol is None:
                    section.symbol = name
    sections = sorted((section for section in sections if section.symbol is not None), key=lambda s: s.start)
    return sections, whole_object_names


def pages(paths):
    """The traced page offsets of every file, in order, each once."""
    seen = set()
    for path in paths:
        with open(path) as lines:
            for line in lines:
                page = int(line, 16)
                if page not in seen:
                    seen.add(page)
                    yield page


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    sections, whole_object_names = text_sections(sys.argv[1])
    starts = [section.start for section in sections]
    longest = max((section.end - section.start for section in sections), default=0)
    functions, whole_objects, named = [], [], set()
    for page in pages(sys.argv[2:]):
        first = bisect.bisect_left(starts, page - longest)
        last = bisect.bisect_left(starts, page + PAGE)
        for section in sections[first:last]:
            if section.end <= page or section.symbol in named:
                continue
            if section.whole_object:
                named.add(section.symbol)
                whole_objects.append(section.symbol)
            elif section.symbol not in whole_object_names:
                named.add(section.symbol)
                functions.append(section.symbol)
    for symbol in functions + whole_objects:
        print(symbol)


if __name__ == "__main__":
    main()
