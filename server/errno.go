package server

import "syscall"

var errAddrInUse error = syscall.EADDRINUSE
