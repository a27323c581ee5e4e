import Glibc

extension NetworkBackendError {
    /// Why a TAP interface could not be opened, and what to do about it, for
    /// the errno of opening /dev/net/tun or of TUNSETIFF.
    static func tapOpen(_ code: Int32, ifname: String) -> NetworkBackendError {
        let what: String
        switch code {
        case ENOENT, ENODEV, ENXIO:
            what = "/dev/net/tun is missing: load the tun module (modprobe tun) "
                + "or create it (mknod /dev/net/tun c 10 200), or use --net user"
        case EACCES, EPERM:
            what = "permission denied: run as root or with CAP_NET_ADMIN, "
                + "or create the interface for your user first (ip tuntap add \(ifname) mode tap user $USER)"
        case EBUSY:
            what = "device busy: another process has it open; close that or choose another ifname"
        case EINVAL, ENAMETOOLONG:
            what = "bad interface name, or an interface of that name exists and is not a TAP device: choose another ifname"
        default:
            what = errnoMessage(code)
        }
        return NetworkBackendError("tap \(ifname): \(what)")
    }
}
