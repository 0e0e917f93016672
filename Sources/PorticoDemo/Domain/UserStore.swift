import Synchronization

/// The users backend's data: in memory, shared by every event loop.
final class UserStore: Sendable {
    private let users: Mutex<[String: DemoUser]>
    private let nextID: Mutex<Int>

    init(seed: [DemoUser] = DemoSeed.users) {
        users = Mutex(Dictionary(uniqueKeysWithValues: seed.map { ($0.userID, $0) }))
        nextID = Mutex(seed.count + 1)
    }

    func get(_ userID: String) throws(DemoFailure) -> DemoUser {
        guard !userID.isEmpty else { throw .invalidArgument("user_id is required") }
        guard let user = users.withLock({ $0[userID] }) else { throw .notFound("user \"\(userID)\" not found") }
        return user
    }

    func list(role: Int32, pageSize: Int32, pageToken: String) throws(DemoFailure) -> (users: [DemoUser], next: String) {
        let all = users.withLock { Array($0.values) }
            .filter { role == 0 || $0.role == role }
            .sorted { ($0.userID.count, $0.userID) < ($1.userID.count, $1.userID) }
        let page = try DemoPage.slice(all, size: pageSize, token: pageToken)
        return (page.items, page.next)
    }

    func create(_ draft: DemoUser, now: Int64) throws(DemoFailure) -> DemoUser {
        guard !draft.displayName.isEmpty else { throw .invalidArgument("user.display_name is required") }
        guard draft.email.contains("@") else { throw .invalidArgument("user.email must be an email address") }
        var user = draft
        user.userID = "u\(nextID.withLock { id in defer { id += 1 }; return id })"
        user.createdAt = now
        users.withLock { $0[user.userID] = user }
        return user
    }

    /// Applies the fields named by `paths` (proto names; all mutable fields when empty) of `changes`.
    func update(_ changes: DemoUser, paths: [String]) throws(DemoFailure) -> DemoUser {
        let mutable: Set<String> = ["display_name", "email", "role", "labels"]
        let applied = paths.isEmpty ? mutable : Set(paths)
        if let unknown = applied.subtracting(mutable).sorted().first {
            throw .invalidArgument("update_mask names \"\(unknown)\", which cannot be updated")
        }
        return try users.withLock { (users: inout [String: DemoUser]) throws(DemoFailure) -> DemoUser in
            guard var user = users[changes.userID] else { throw .notFound("user \"\(changes.userID)\" not found") }
            if applied.contains("display_name") { user.displayName = changes.displayName }
            if applied.contains("email") { user.email = changes.email }
            if applied.contains("role") { user.role = changes.role }
            if applied.contains("labels") { user.labels = changes.labels }
            users[user.userID] = user
            return user
        }
    }

    func delete(_ userID: String) throws(DemoFailure) {
        guard users.withLock({ $0.removeValue(forKey: userID) }) != nil else {
            throw .notFound("user \"\(userID)\" not found")
        }
    }
}
