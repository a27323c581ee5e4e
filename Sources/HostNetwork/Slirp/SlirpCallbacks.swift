import CSlirp

extension SlirpBackend {
    /// libslirp's callbacks into a backend (its `opaque` is the backend,
    /// unretained). libslirp keeps a pointer to the table, so each backend
    /// owns a copy for its lifetime. All of them run on the loop thread.
    static func callbackTable() -> SlirpCb {
        var table = SlirpCb()
        table.send_packet = { buffer, length, opaque in
            SlirpBackend.from(opaque).send(UnsafeRawBufferPointer(start: buffer, count: length))
            return length
        }
        table.guest_error = { message, _ in
            logLine("slirp: guest error: \(message.map { String(cString: $0) } ?? "?")")
        }
        table.clock_get_ns = { _ in NetworkEventLoop.monotonicNanoseconds() }
        table.timer_new = { callback, callbackOpaque, opaque in
            SlirpBackend.from(opaque).makeTimer(callback, callbackOpaque)
        }
        table.timer_new_opaque = { id, timerOpaque, opaque in
            SlirpBackend.from(opaque).makeTimer(id, timerOpaque)
        }
        table.timer_free = { timer, opaque in SlirpBackend.from(opaque).freeTimer(timer) }
        table.timer_mod = { timer, expireTime, opaque in
            SlirpBackend.from(opaque).modifyTimer(timer, expiresAtMilliseconds: expireTime)
        }
        // Every socket is offered again by slirp_pollfds_fill each iteration.
        table.register_poll_fd = { _, _ in }
        table.unregister_poll_fd = { _, _ in }
        table.notify = { opaque in SlirpBackend.from(opaque).loop.wake() }
        return table
    }
}
