# vmwcall: plain make.
#
# Build:   O (build dir, build), CC, SAN=1 (ASan+UBSan), M32=1 (i386).
# Flags:   CPPFLAGS, CFLAGS (-O2 -g), LDFLAGS are the user's and come last,
#          so distribution flags (e.g. -D_FORTIFY_SOURCE=2) apply.
#          WERROR=1 turns warnings into errors: the default in a git checkout
#          (development) and in CI (.ci/run, check-all); elsewhere, as in a
#          distribution build from a tarball, 0.  Say WERROR=0 to be sure.
# Tools:   vmwcall is linked to libvmwcall.so (in the build tree it finds the
#          library through an $ORIGIN run path; the installed copy is
#          relinked without one).  STATIC=1 links the tools statically.
# Install: DESTDIR, PREFIX (/usr/local), BINDIR, INCLUDEDIR, MANDIR, LIBDIR
#          ($(PREFIX)/lib; multiarch: LIBDIR=$(PREFIX)/lib/x86_64-linux-gnu),
#          vmwcall.pc follows LIBDIR.
# The shared library exports exactly the public API (vmwcall.map: vmw_*,
# vmware_*); everything else is hidden (-fvisibility=hidden).
VERSION = 0.1.0
SOVER = 0
O ?= build
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
INCLUDEDIR ?= $(PREFIX)/include
LIBDIR ?= $(PREFIX)/lib
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
WERROR ?= $(if $(wildcard .git),1,0)

CFLAGS ?= -O2 -g
WARN = -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes
ALL_CFLAGS = -std=gnu11 $(WARN) -Iinclude -Iemu -DVMWCALL_VERSION='"$(VERSION)"' $(CPPFLAGS) \
	$(CFLAGS) -fPIC -pthread
ALL_LDFLAGS = $(LDFLAGS) -pthread
ifeq ($(SAN),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ALL_LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(M32),1)
ALL_CFLAGS += -m32
ALL_LDFLAGS += -m32
endif
# aarch64 guests: clang and lld cross-build beside gcc-multilib (qemu/arm64/deps.sh).
ifeq ($(ARCH),aarch64)
CC = clang
AR = llvm-ar
ALL_CFLAGS += --target=aarch64-linux-gnu
ALL_LDFLAGS += --target=aarch64-linux-gnu -fuse-ld=lld
endif
TOOL_LDFLAGS = $(ALL_LDFLAGS)
ifeq ($(STATIC),1)
TOOL_LDFLAGS += -static
TOOL_LIB = $(O)/libvmwcall.a
else
TOOL_LIB = $(O)/libvmwcall.so
TOOL_RPATH = -Wl,-rpath,'$$ORIGIN'
endif

LIB_SRC = $(wildcard src/*.c)
EMU_SRC = $(filter-out emu/main.c,$(wildcard emu/*.c))
CLI_SRC = $(wildcard cli/*.c)
TEST_SRC = $(wildcard tests/t_*.c)
BENCH_SRC = $(wildcard bench/*.c)

LIB_OBJ = $(LIB_SRC:%.c=$(O)/%.o)
EMU_OBJ = $(EMU_SRC:%.c=$(O)/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(O)/%.o)
TESTS = $(TEST_SRC:tests/%.c=$(O)/tests/%)
SHTESTS = $(wildcard tests/t_*.sh)
BENCHES = $(BENCH_SRC:bench/%.c=$(O)/bench/%)

TOOLS = $(if $(CLI_SRC),$(O)/vmwcall) $(if $(wildcard emu/main.c),$(O)/vmwcall-emu)

all: $(O)/libvmwcall.a $(O)/libvmwcall.so $(O)/libvmwemu.a $(TOOLS)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The library: hidden by default; what the public headers declare is default
# (a forced include, so the headers need no export macro).
$(O)/export.h: $(wildcard include/vmwcall/*.h) Makefile
	@mkdir -p $(dir $@)
	{ echo '#ifndef _GNU_SOURCE'; echo '#define _GNU_SOURCE'; echo '#endif'; \
	  echo '#pragma GCC visibility push(default)'; \
	  for h in $(notdir $(wildcard include/vmwcall/*.h)); do echo "#include \"vmwcall/$$h\""; done; \
	  echo '#pragma GCC visibility pop'; } > $@

$(LIB_OBJ): $(O)/%.o: %.c $(O)/export.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fvisibility=hidden -include $(O)/export.h -MMD -MP -c $< -o $@

$(O)/libvmwcall.a: $(LIB_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(O)/libvmwcall.so.$(SOVER): $(LIB_OBJ) vmwcall.map
	$(CC) -shared -Wl,-soname,libvmwcall.so.$(SOVER) -Wl,--version-script=vmwcall.map \
		$(ALL_LDFLAGS) -o $@ $(LIB_OBJ)

$(O)/libvmwcall.so: $(O)/libvmwcall.so.$(SOVER)
	ln -sf libvmwcall.so.$(SOVER) $@

$(O)/libvmwemu.a: $(EMU_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

# In the build tree the tool finds the library next to it; install relinks
# it without a run path (a package must not carry one).
$(O)/vmwcall: $(CLI_OBJ) $(TOOL_LIB)
	$(CC) -o $@ $(CLI_OBJ) $(TOOL_LIB) $(TOOL_RPATH) $(TOOL_LDFLAGS)
	ln -sf vmwcall $(O)/vmware-rpctool
	ln -sf vmwcall $(O)/vmware-checkvm

$(O)/dist/vmwcall: $(CLI_OBJ) $(TOOL_LIB)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(CLI_OBJ) $(TOOL_LIB) $(TOOL_LDFLAGS)

$(O)/vmwcall-emu: $(O)/emu/main.o $(O)/libvmwemu.a
	$(CC) -o $@ $^ $(TOOL_LDFLAGS)

$(O)/tests/%: tests/%.c $(O)/libvmwcall.a $(O)/libvmwemu.a $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(O)/libvmwemu.a $(O)/libvmwcall.a $(ALL_LDFLAGS)

# Its frame canary sees rbp damage only where rbp is the frame pointer.
$(O)/tests/t_hypercall: private ALL_CFLAGS += -fno-omit-frame-pointer

$(O)/bench/%: bench/%.c bench/bench.h $(O)/libvmwcall.a $(O)/libvmwemu.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O2 -o $@ $< $(O)/libvmwemu.a $(O)/libvmwcall.a $(ALL_LDFLAGS)

# The headers on their own: freestanding, every C and C++ standard, both compilers.
$(O)/header.stamp: include/vmwcall/*.h tests/header/*
	O=$(O) sh tests/header/check.sh "$(CC)" "$(if $(filter 1,$(M32)),-m32)$(if $(filter aarch64,$(ARCH)),--target=aarch64-linux-gnu)"
	@touch $@

tests: $(TESTS) $(O)/tests/trapping $(O)/header.stamp

check: all tests
	O=$(abspath $(O)) VMWCALL_EMU_CPUID=off prove -e '' $(abspath $(TESTS)) $(abspath $(SHTESTS))

# Every configuration CI runs; i386 only where multilib is installed.
# Development checks: warnings are errors whatever the checkout.
check-all: export WERROR = 1
check-all: deps
	$(MAKE) check O=build/gcc CC=gcc CPPFLAGS=-D_FORTIFY_SOURCE=2	# distribution flags
	$(MAKE) check O=build/clang CC=clang
	$(MAKE) check O=build/asan CC=clang SAN=1 CFLAGS='-O1 -g'
	@mkdir -p build
	if ! printf '#include <asm/errno.h>\n#include <sys/ptrace.h>\nint main(void){return 0;}\n' | \
		gcc -m32 -x c - -o build/m32-probe 2>/dev/null; then \
		echo "SKIP i386: gcc -m32 cannot build with <asm/errno.h> (install gcc-multilib)"; \
	elif ./build/m32-probe 2>/dev/null; then \
		$(MAKE) check O=build/m32 CC=gcc M32=1; \
	elif command -v qemu-i386 >/dev/null; then \
		$(MAKE) check-m32-qemu; \
	else \
		$(MAKE) all tests O=build/m32 CC=gcc M32=1 && \
		echo "i386: built and header-checked; SKIP running: no 32-bit programs here, no qemu-i386 (qemu-user)"; \
	fi
	$(MAKE) check-valgrind O=build/gcc CC=gcc
	$(MAKE) check-install O=build/gcc CC=gcc
	$(MAKE) soak O=build/asan CC=clang SAN=1 CFLAGS='-O1 -g' SOAK_SECONDS=30
	$(MAKE) lint
	$(MAKE) fuzz FUZZ_RUNS=50000
	$(MAKE) check-qemu
	$(MAKE) check-arm64
	$(MAKE) check-deb

# The i386 suite under qemu-user, for kernels that do not run 32-bit programs
# (tests/qemu-user.sh skips what qemu-user cannot do, saying why).
check-m32-qemu: ; $(MAKE) check-qemu-user O=build/m32 CC=gcc M32=1
check-qemu-user: all tests
	O=$(abspath $(O)) VMWCALL_EMU_CPUID=off prove -e 'sh $(abspath tests/qemu-user.sh)' $(abspath $(TESTS)) $(abspath $(SHTESTS))

# As root, install the Debian packages the checks need (tools/deps.sh: the one list).
deps: ; bash tools/deps.sh

# Build the Debian packages (under build/deb), lintian, install and try them.
check-deb: ; bash tools/check-deb.sh

# Install into a scratch prefix with a multiarch LIBDIR and build a program
# against it with pkg-config; the installed tool carries no run path.
check-install: all
	rm -rf $(O)/inst
	$(MAKE) install O=$(O) PREFIX=$(abspath $(O))/inst LIBDIR=$(abspath $(O))/inst/lib/multiarch
	printf '#include <vmwcall/detect.h>\n#include <vmwcall/hypercall.h>\nint main(void){struct vmw_info i; return vmw_detect(&i, sizeof(i), 0);}\n' > $(O)/inst/use.c
	PKG_CONFIG_PATH=$(O)/inst/lib/multiarch/pkgconfig $(CC) $(O)/inst/use.c -o $(O)/inst/use \
		$$(PKG_CONFIG_PATH=$(O)/inst/lib/multiarch/pkgconfig pkg-config --cflags --libs vmwcall)
	LD_LIBRARY_PATH=$(O)/inst/lib/multiarch $(O)/inst/use; test $$? -eq 0
	! readelf -d $(O)/inst/bin/vmwcall | grep -E 'RPATH|RUNPATH'
	LD_LIBRARY_PATH=$(O)/inst/lib/multiarch $(O)/inst/bin/vmwcall --version
	@echo "install: pkg-config build links and runs; installed vmwcall has no run path"
	test -f $(O)/inst/share/man/man3/vmw_info_get.3 && echo "install: API man pages (section 3)"

check-valgrind: all $(TESTS)
	for t in $(TESTS); do \
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			$$t > $$t.vg.log 2>&1 || { cat $$t.vg.log; echo "valgrind: $$t failed"; exit 1; }; \
	done; echo "valgrind: $(words $(TESTS)) test programs clean"

# QEMU's vmport as an independent backdoor host (doc/qemu.md); builds into build/qemu.
check-qemu: ; bash qemu/check.sh

# The aarch64 build in Debian's arm64 kernel under qemu-system-aarch64 (doc/arm64.md).
check-arm64: ; bash qemu/arm64/check.sh

# libFuzzer targets, each for FUZZ_RUNS executions; new inputs go to build/.
FUZZ_RUNS ?= 200000
FUZZ_SRC = $(wildcard fuzz/*.c)
FUZZ_O = build/fuzz
fuzz:
	$(MAKE) O=$(FUZZ_O) CC=clang SAN=1 CFLAGS='-O1 -g -fsanitize=fuzzer-no-link' \
		$(FUZZ_O)/libvmwemu.a $(FUZZ_O)/libvmwcall.a
	@set -e; for f in $(FUZZ_SRC); do \
		n=$$(basename $$f .c); mkdir -p $(FUZZ_O)/corpus/$$n fuzz/corpus/$$n; \
		clang -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
			-Iinclude -Iemu -pthread $$f $(FUZZ_O)/libvmwemu.a $(FUZZ_O)/libvmwcall.a \
			-o $(FUZZ_O)/$$n; \
		echo "fuzz $$n: $(FUZZ_RUNS) runs"; \
		$(FUZZ_O)/$$n -runs=$(FUZZ_RUNS) -print_final_stats=1 -artifact_prefix=$(FUZZ_O)/ \
			$(FUZZ_O)/corpus/$$n fuzz/corpus/$$n > $(FUZZ_O)/$$n.log 2>&1 \
			|| { tail -40 $(FUZZ_O)/$$n.log; exit 1; }; \
		grep -E 'DONE|number_of_executed_units' $(FUZZ_O)/$$n.log; \
	done

# Static analysis: cppcheck and clang's analyzer, any finding fails.
# (cppcheck misreads explicit register variables as statements.)
lint:
	cppcheck --quiet --enable=warning,portability,performance --error-exitcode=1 \
		--std=c11 -Iinclude -Iemu -D__x86_64__ -D__GNUC__ \
		--suppress=constStatement:include/vmwcall/hypercall.h src emu cli tests fuzz
	rm -rf build/scan
	scan-build --status-bugs -o build/scan-report $(MAKE) O=build/scan CC=clang all

# t_fault and t_load with fresh seeds until SOAK_SECONDS (default 60) pass.
SOAK_SECONDS ?= 60
soak: all $(O)/tests/t_fault $(O)/tests/t_load
	O=$(abspath $(O)) SOAK_SECONDS=$(SOAK_SECONDS) sh tests/soak.sh

demo: all
	$(O)/vmwcall-emu --set guestinfo.greeting=hello -- $(O)/vmwcall info get greeting

bench: $(BENCHES) $(TOOLS) $(O)/libvmwcall.so
	@for b in $(BENCHES); do VMWCALL_EMU_CPUID=off $$b || exit 1; done
	@VMWCALL_EMU_CPUID=off O=$(abspath $(O)) sh bench/python.sh

PC_LIBDIR = $(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))
PC_INCLUDEDIR = $(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))
install: all $(if $(CLI_SRC),$(O)/dist/vmwcall)
	install -d $(DESTDIR)$(INCLUDEDIR)/vmwcall $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	install -m 644 include/vmwcall/*.h $(DESTDIR)$(INCLUDEDIR)/vmwcall/
	install -m 644 $(O)/libvmwcall.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(O)/libvmwcall.so.$(SOVER) $(DESTDIR)$(LIBDIR)/
	ln -sf libvmwcall.so.$(SOVER) $(DESTDIR)$(LIBDIR)/libvmwcall.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(PC_LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(PC_INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' vmwcall.pc.in \
		> $(DESTDIR)$(LIBDIR)/pkgconfig/vmwcall.pc
	for t in $(patsubst $(O)/vmwcall,$(O)/dist/vmwcall,$(TOOLS)); do \
		install -m 755 $$t $(DESTDIR)$(BINDIR)/; done
	for m in $(wildcard doc/*.1); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	install -m 644 doc/man3/*.3 $(DESTDIR)$(MANDIR)/man3/
	sh doc/man3/links.sh $(DESTDIR)$(MANDIR)/man3

clean:
	rm -rf build $(O)

.PHONY: deps check-deb check-arm64 soak demo check-install lint fuzz all tests check check-all check-valgrind bench install clean
.SECONDARY:
-include $(shell find $(O) -name '*.d' 2>/dev/null)
