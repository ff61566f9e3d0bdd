"""Hide what Windows lacks, so that a Windows-only breakage shows up on Linux and macOS:
`.ci/run` runs the suite once more with this folder on PYTHONPATH. `fcntl` cannot be
imported, and os has no O_NONBLOCK, no O_NOFOLLOW, no pread and no copy_file_range (so
the writer's plain read-and-write copy runs throughout). (Not a full Windows: paths,
os.pathsep and the editor stay POSIX; this catches the POSIX-only calls.)"""

import os
import sys

sys.modules["fcntl"] = None  # type: ignore[assignment]  # `import fcntl` raises ImportError
for name in ("O_NONBLOCK", "O_NOFOLLOW", "pread", "pwrite", "copy_file_range"):
    if hasattr(os, name):
        delattr(os, name)
os.environ["CGCLI_WINDOWS_SIM"] = "1"  # for the few tests that drive fcntl themselves
