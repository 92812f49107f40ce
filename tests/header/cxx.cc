// The header from C++: every standard, inside a namespace-using program.
#include <cstdio>
#include "vmwcall/hypercall.h"

namespace probe {
unsigned long version(vmw_u32 *magic, vmw_u32 *type)
{
	return vmware_hypercall3(VMW_CMD_GETVERSION, ~VMW_MAGIC & 0xFFFFFFFFul, magic, type);
}
}

int main(int argc, char **)
{
	vmw_u32 m = 0, t = 0;

	if (argc > 5)		// never taken: this program is only linked
		std::printf("%lu\n", probe::version(&m, &t));
	return 0;
}
