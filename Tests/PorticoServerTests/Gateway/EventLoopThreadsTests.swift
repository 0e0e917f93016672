import PorticoServer
import Testing

/// The event-loop count follows the CPUs the process may run on (`Cpus_allowed_list`).
struct EventLoopThreadsTests {
    @Test(arguments: [("0", 1), ("0-1", 2), ("0-3,8", 5), ("1,3,5-6", 4), (" 2-3", 2)])
    func listsOfCPUsAreCounted(list: String, cpus: Int) {
        #expect(EventLoopThreads.cpuCount(list: Substring(list)) == cpus)
    }

    @Test(arguments: ["", "x", "3-1", "1-2-3", "1,,2"])
    func listsThatDoNotReadAreRefused(list: String) {
        #expect(EventLoopThreads.cpuCount(list: Substring(list)) == nil)
    }

    @Test func theCountIsAtLeastOneAndAtMostTheMachines() {
        #expect(EventLoopThreads.count >= 1)
    }
}
