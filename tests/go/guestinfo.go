// SPDX-License-Identifier: MIT
// VMware's Go guestinfo client (github.com/vmware/vmw-guestinfo), unmodified:
// prints String() and Int() of each key given, one line each.
package main

import (
	"fmt"
	"os"

	"github.com/vmware/vmw-guestinfo/rpcvmx"
)

func main() {
	c := rpcvmx.NewConfig()
	for _, k := range os.Args[1:] {
		s, err := c.String(k, "<unset>")
		i, ierr := c.Int(k, -1)
		fmt.Printf("%s string=%q err=%v int=%d interr=%v\n", k, s, err, i, ierr)
	}
}
