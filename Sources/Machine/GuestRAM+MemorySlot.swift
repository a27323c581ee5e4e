import Devices
import KVM

extension GuestRAM {
    /// The devices' view of a VM's RAM slot.
    public init(_ slot: MemorySlot) {
        self.init(guestBase: slot.guestBase, size: slot.size, pointer: slot.pointer)
    }
}
