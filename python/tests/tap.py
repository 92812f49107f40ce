# SPDX-License-Identifier: MIT
"""Run unittest modules and print TAP (for prove): python3 tap.py MODULE..."""

import sys
import unittest


class TapResult(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.n = 0

    def _line(self, test, ok, extra=""):
        self.n += 1
        print("%s %d - %s%s" % ("ok" if ok else "not ok", self.n, test.id(), extra), flush=True)

    def addSuccess(self, test):
        self._line(test, True)

    def addSkip(self, test, reason):
        self._line(test, True, " # SKIP " + reason)

    def _bad(self, test, err):
        self._line(test, False)
        for line in self._exc_info_to_string(err, test).splitlines():
            print("#   " + line)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._bad(test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._bad(test, err)


def main(names):
    suite = unittest.defaultTestLoader.loadTestsFromNames(names)
    print("1..%d" % suite.countTestCases(), flush=True)
    r = TapResult()
    suite.run(r)
    return 0 if r.wasSuccessful() and r.n == suite.countTestCases() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
