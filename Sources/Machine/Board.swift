import ARMv7
