import NIOCore

/// A command on its way to the server and the promise its reply completes.
struct RedisRequest {
    var arguments: [String]
    var reply: EventLoopPromise<RESPValue>
}
