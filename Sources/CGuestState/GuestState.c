// The guest-state block is a header-only layout; this file gives SwiftPM a
// translation unit so the target builds and the static asserts are checked.
#include "GuestState.h"
#include "JITContext.h"
