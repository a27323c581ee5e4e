import Foundation
import XCTest

/// Loopback sockets for the tests: every address here is 127.0.0.1.
enum HostSockets {
    static let tcp = Int32(SOCK_STREAM.rawValue), udp = Int32(SOCK_DGRAM.rawValue)

    static func loopback(_ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// A socket bound to 127.0.0.1:`port` (0: the kernel picks), listening
    /// when it is TCP; its descriptor and port.
    static func bound(_ type: Int32 = tcp, port: UInt16 = 0) throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno)!) }
        var address = loopback(port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, type != tcp || listen(fd, 4) == 0 else {
            let code = errno
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code)!)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// A TCP port on 127.0.0.1 that nothing listens on (it was free a moment ago).
    static func freePort() throws -> UInt16 {
        let (fd, port) = try bound()
        close(fd)
        return port
    }

    /// Waits up to `timeout` seconds for `fd` to become readable.
    static func waitReadable(_ fd: Int32, timeout: TimeInterval = 5) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, Int32(timeout * 1000)) == 1
    }

    static func accept(_ listener: Int32, timeout: TimeInterval = 5) -> Int32? {
        guard waitReadable(listener, timeout: timeout) else { return nil }
        let fd = Glibc.accept(listener, nil, nil)
        return fd >= 0 ? fd : nil
    }

    static func connect(port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, tcp, 0)
        var address = loopback(port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code)!)
        }
        return fd
    }

    /// Reads until `count` bytes arrived or `timeout` seconds passed.
    static func receive(_ fd: Int32, count: Int, timeout: TimeInterval = 5) -> [UInt8] {
        var received: [UInt8] = []
        let deadline = Date(timeIntervalSinceNow: timeout)
        while received.count < count, Date() < deadline {
            guard waitReadable(fd, timeout: deadline.timeIntervalSinceNow) else { break }
            var chunk = [UInt8](repeating: 0, count: count - received.count)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            received += chunk[..<n]
        }
        return received
    }

    /// Sends one datagram to 127.0.0.1:`port`.
    static func sendDatagram(_ fd: Int32, _ bytes: [UInt8], to port: UInt16) -> Bool {
        var address = loopback(port)
        let sent = withUnsafePointer(to: &address) { target in
            target.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, target, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        return sent == bytes.count
    }

    /// One datagram and the port it came from (on 127.0.0.1), waiting up to `timeout` seconds.
    static func receiveDatagram(_ fd: Int32, timeout: TimeInterval = 5) -> (bytes: [UInt8], port: UInt16)? {
        guard waitReadable(fd, timeout: timeout) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 2048)
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let n = withUnsafeMutablePointer(to: &address) { source in
            source.withMemoryRebound(to: sockaddr.self, capacity: 1) { source in
                buffer.withUnsafeMutableBytes { recvfrom(fd, $0.baseAddress, $0.count, 0, source, &length) }
            }
        }
        guard n >= 0 else { return nil }
        return (Array(buffer[..<n]), UInt16(bigEndian: address.sin_port))
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) } == bytes.count
    }
}
