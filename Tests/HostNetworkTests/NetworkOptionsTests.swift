import HostNetwork
import XCTest

final class NetworkOptionsTests: XCTestCase {
    func testUserDefaults() throws {
        XCTAssertEqual(try NetworkOptions(parsing: "user"), .user(UserNetworkOptions()))
        XCTAssertEqual(try NetworkOptions(parsing: "user").mac?.description, "52:54:00:12:34:56")
    }

    func testUserWithEveryKey() throws {
        let options = try NetworkOptions(parsing:
            "user,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=udp::5353-10.0.2.20:53,hostfwd=::8080-:80,"
            + "restrict=on,hostname=guest-1,mac=52:54:00:ab:CD:ef")
        guard case .user(let user) = options else { return XCTFail("not user: \(options)") }
        XCTAssertEqual(user.forwards, [
            HostForward(.tcp, hostAddress: IPv4Address("127.0.0.1")!, hostPort: 2222, guestPort: 22),
            HostForward(.udp, hostPort: 5353, guestAddress: IPv4Address("10.0.2.20")!, guestPort: 53),
            HostForward(.tcp, hostPort: 8080, guestPort: 80),
        ])
        XCTAssertEqual(user.forwards.map(\.description),
                       ["tcp:127.0.0.1:2222-:22", "udp::5353-10.0.2.20:53", "tcp::8080-:80"])
        XCTAssertEqual(user.forwards[1].hostAddress, .any)
        XCTAssertEqual(user.forwards[0].guestAddress.description, "10.0.2.15")
        XCTAssertTrue(user.restrict)
        XCTAssertEqual(user.hostname, "guest-1")
        XCTAssertEqual(user.mac, MACAddress(bytes: [0x52, 0x54, 0x00, 0xAB, 0xCD, 0xEF]))
        XCTAssertEqual(try NetworkOptions(parsing: "user,restrict=off"), .user(UserNetworkOptions(restrict: false)))
    }

    func testTapAndNone() throws {
        XCTAssertEqual(try NetworkOptions(parsing: "tap,ifname=tap0"), .tap(TapNetworkOptions(ifname: "tap0")))
        XCTAssertEqual(try NetworkOptions(parsing: "tap,mac=02:00:00:00:00:01,ifname=armvisor-tap15"),
                       .tap(TapNetworkOptions(ifname: "armvisor-tap15", mac: MACAddress(bytes: [2, 0, 0, 0, 0, 1])!)))
        XCTAssertEqual(try NetworkOptions(parsing: "none"), NetworkOptions.none)
        XCTAssertNil(NetworkOptions.none.mac)
        XCTAssertNil(try NetworkOptions.none.makeNetworkBackend())
    }

    func testTheFactoryMakesTheBackendTheOptionsName() throws {
        let user = try NetworkOptions(parsing: "user,hostname=armguest").makeNetworkBackend()
        XCTAssertEqual((user as? SlirpBackend)?.configuration.hostname, "armguest")
        XCTAssertThrowsError(try NetworkOptions.tap(TapNetworkOptions(ifname: "lo")).makeNetworkBackend()) { error in
            XCTAssertTrue("\(error)".hasPrefix("tap lo: "), "\(error)")
        }
    }

    func testMalformedOptionsNameTheBadPart() {
        let cases: [(String, String)] = [
            ("", "unknown network kind '' (expected user, tap or none)"),
            ("socket,listen=:1234", "unknown network kind 'socket' (expected user, tap or none)"),
            ("user,foo=bar", "unknown key 'foo' for user"),
            ("user,restrict", "expected KEY=VALUE, got 'restrict'"),
            ("user,,restrict=on", "empty option (two commas in a row?)"),
            ("user,restrict=maybe", "bad value 'maybe' for restrict (expected on or off)"),
            ("user,restrict=on,restrict=off", "duplicate key 'restrict'"),
            ("user,hostname=a,hostname=b", "duplicate key 'hostname'"),
            ("user,hostname=bad_name!", "bad hostname 'bad_name!' (1 to 32 letters, digits, '-' or '.')"),
            ("user,hostfwd=tcp::99999-:22", "bad port '99999' in hostfwd=tcp::99999-:22"),
            ("user,hostfwd=tcp::0-:22", "bad port '0' in hostfwd=tcp::0-:22"),
            ("user,hostfwd=tcp::+22-:22", "bad port '+22' in hostfwd=tcp::+22-:22"),
            ("user,hostfwd=tcp::2222-:", "bad port '' in hostfwd=tcp::2222-:"),
            ("user,hostfwd=tcp:1.2.3:2222-:22", "bad address '1.2.3' in hostfwd=tcp:1.2.3:2222-:22"),
            ("user,hostfwd=tcp:1.2.3.256:2222-:22", "bad address '1.2.3.256' in hostfwd=tcp:1.2.3.256:2222-:22"),
            ("user,hostfwd=tcp::2222-10.0.3.15:22",
             "guest address 10.0.3.15 is not a host of 10.0.2.0/24 in hostfwd=tcp::2222-10.0.3.15:22"),
            ("user,hostfwd=sctp::2222-:22", "unknown protocol 'sctp' (expected tcp or udp) in hostfwd=sctp::2222-:22"),
            ("user,hostfwd=tcp::2222",
             "expected [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT in hostfwd=tcp::2222"),
            ("user,hostfwd=tcp::2222-22", "expected ADDRESS:PORT, got '22' in hostfwd=tcp::2222-22"),
            ("user,mac=52:54:00:12:34", "bad MAC address '52:54:00:12:34' (expected six hex bytes, 52:54:00:12:34:56)"),
            ("user,mac=52:54:00:12:34:zz", "bad MAC address '52:54:00:12:34:zz' (expected six hex bytes, 52:54:00:12:34:56)"),
            ("user,mac=01:00:5e:00:00:01", "bad MAC address '01:00:5e:00:00:01': it is a multicast address"),
            ("user,mac=52:54:00:12:34:56,mac=52:54:00:12:34:57", "duplicate key 'mac'"),
            ("tap", "tap needs ifname=NAME (the host interface)"),
            ("tap,ifname=a/b", "bad ifname 'a/b' (1 to 15 characters, no '/', ':' or spaces)"),
            ("tap,ifname=abcdefghijklmnop", "bad ifname 'abcdefghijklmnop' (1 to 15 characters, no '/', ':' or spaces)"),
            ("tap,ifname=tap0,ifname=tap1", "duplicate key 'ifname'"),
            ("tap,ifname=tap0,hostfwd=tcp::1-:1", "unknown key 'hostfwd' for tap"),
            ("none,mac=52:54:00:12:34:56", "unknown key 'mac' for none (it takes no options)"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try NetworkOptions(parsing: text), text) { error in
                XCTAssertEqual("\(error)", message, text)
                XCTAssertFalse("\(error)".contains("\n"), text)
            }
        }
    }

    func testAddressesAndMACsRoundTrip() {
        XCTAssertEqual(IPv4Address("10.0.2.15")?.value, 0x0A00_020F)
        XCTAssertEqual(IPv4Address("255.255.255.255")?.description, "255.255.255.255")
        for bad in ["", "1.2.3.4.5", "01234.1.1.1", "a.b.c.d", "1..2.3", " 1.2.3.4"] {
            XCTAssertNil(IPv4Address(bad), bad)
        }
        XCTAssertEqual(MACAddress("52:54:00:0a:0B:ff")?.description, "52:54:00:0a:0b:ff")
        XCTAssertNil(MACAddress("52:54:00:0a:0b:fff"))
        XCTAssertNil(MACAddress("52-54-00-0a-0b-ff"))
    }
}
