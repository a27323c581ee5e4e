import Foundation

/// A minimal HTTP/1.0 server on 127.0.0.1 for network tests: every GET gets
/// `body`, then the connection closes. It listens on a port the kernel
/// chooses and serves on its own thread until `stop()`. Tests never reach any
/// address off this host: the loopback, or the host's side of a TAP
/// interface a test made.
final class LoopbackHTTPServer: @unchecked Sendable {
    let port: UInt16
    let body: [UInt8]
    private let listener: Int32
    private let lock = NSLock()
    private var stopped = false
    private var requestLines: [String] = []
    private let done = DispatchSemaphore(value: 0)

    /// The request lines ("GET /path HTTP/1.1") served so far.
    var requests: [String] { lock.lock(); defer { lock.unlock() }; return requestLines }

    /// Serves `body` on a free port of `address` (the loopback unless a
    /// test names a host address of its own TAP interface).
    init(body: [UInt8], address host: String = "127.0.0.1") throws {
        self.body = body
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in serve() }
    }

    /// Stops accepting and waits for the serving thread.
    func stop() {
        lock.lock(); stopped = true; lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        done.wait()
        close(listener)
    }

    private func serve() {
        defer { done.signal() }
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                lock.lock(); let over = stopped; lock.unlock()
                if over || (errno != EINTR && errno != ECONNABORTED) { return }
                continue
            }
            answer(connection)
            close(connection)
        }
    }

    /// Reads the request head, then writes the whole response.
    private func answer(_ connection: Int32) {
        var head = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !head.ends(with: Array("\r\n\r\n".utf8)), head.count < 65536 {
            let n = read(connection, &buffer, buffer.count)
            guard n > 0 else { return }
            head += buffer[0..<n]
        }
        let line = String(decoding: head.prefix { $0 != 13 }, as: UTF8.self)
        lock.lock(); requestLines.append(line); lock.unlock()
        let response = Array("HTTP/1.0 200 OK\r\nContent-Length: \(body.count)\r\nContent-Type: application/octet-stream\r\n\r\n".utf8) + body
        var sent = 0
        while sent < response.count {
            let n = response[sent...].withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            sent += n
        }
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
