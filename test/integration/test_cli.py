"""The tug binary's command line: help, version, errors, and `tug server` start and stop.

Runs the real binary named by $TUG_BIN with temporary data dirs and config files only.
"""

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest

TUG = os.environ.get("TUG_BIN", "")
START_TIMEOUT = 15
STOP_TIMEOUT = 5
STARTED = re.compile(r"INFO  server: started in \d+ms")


def clean_env():
    """The environment without anything that would point tug at a config file."""
    env = dict(os.environ)
    env.pop("TUG_CONFIG_FILE", None)
    return env


def tug(*args, timeout=10):
    return subprocess.run([TUG, *args], capture_output=True, text=True, timeout=timeout,
                          env=clean_env())


def error_lines(result):
    return result.stderr.splitlines()


def loopback(workdir, name="server"):
    """Flags that keep a test server on loopback, on a free port, with its kubeconfig in
    `workdir` (never /etc/tug)."""
    return ["--https-listen-port", "0", "--bind-address", "127.0.0.1",
            "--write-kubeconfig", os.path.join(workdir, name + ".kubeconfig")]


class Server:
    """A `tug server` process whose stderr goes to a file (a pipe could fill up and block it)."""

    def __init__(self, workdir, *args, name="server"):
        self.stderr_path = os.path.join(workdir, name + ".stderr")
        self.kubeconfig = os.path.join(workdir, name + ".kubeconfig")
        self._stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen([TUG, "server", *loopback(workdir, name), *args],
                                     stdout=subprocess.DEVNULL, stderr=self._stderr,
                                     env=clean_env())

    def output(self):
        with open(self.stderr_path) as f:
            return f.read()

    def wait_for(self, pattern, timeout=START_TIMEOUT, path=None):
        """Waits until the log (stderr, or the file `path`) matches; fails if the process ends."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.output() if path is None else read_if_exists(path)
            if re.search(pattern, text):
                return text
            if self.proc.poll() is not None:
                raise AssertionError("tug server exited with %d before logging %r:\n%s"
                                     % (self.proc.returncode, pattern, self.output()))
            time.sleep(0.05)
        raise AssertionError("tug server did not log %r within %ds:\n%s"
                             % (pattern, timeout, self.output()))

    def stop(self, sig=signal.SIGTERM):
        """Sends `sig` and returns the exit code; fails if it takes longer than STOP_TIMEOUT."""
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise AssertionError("tug server did not exit within %ds of %s:\n%s"
                                 % (STOP_TIMEOUT, sig.name, self.output()))

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._stderr.close()


def read_if_exists(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return ""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class TugTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tug-cli-test-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        # An empty config file, so that no /etc/tug/config.yaml on this machine leaks in.
        self.config = os.path.join(self.tmp, "config.yaml")
        write(self.config, "")

    def start_server(self, *args, name="server"):
        server = Server(self.tmp, *args, name=name)
        self.addCleanup(server.kill)  # cleanups run last-in first-out, before the rmtree
        return server

    def assert_one_error_line(self, result, code, *fragments):
        lines = error_lines(result)
        self.assertEqual(result.returncode, code, result.stderr)
        self.assertEqual(len(lines), 1, "expected one line on stderr, got:\n" + result.stderr)
        self.assertTrue(lines[0].startswith("tug: "), lines[0])
        for fragment in fragments:
            self.assertIn(fragment, lines[0])
        self.assertEqual(result.stdout, "")


class HelpAndVersionTest(TugTestCase):
    def test_help_lists_subcommands(self):
        r = tug("--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Usage: tug <command>", r.stdout)
        self.assertRegex(r.stdout, r"\n  server +Run the control plane")
        self.assertRegex(r.stdout, r"\n  version +Print the version")
        self.assertEqual(tug("-h").stdout, r.stdout)
        self.assertEqual(tug("help").stdout, r.stdout)

    def test_server_help_lists_flags_with_defaults(self):
        r = tug("server", "--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        for flag in ["-c, --config FILE", "-d, --data-dir DIR", "--debug", "-l, --log FILE",
                     "--datastore-durability", "--datastore-retention",
                     "--datastore-retain-revisions", "--datastore-max-bytes"]:
            self.assertIn(flag, r.stdout)
        for default in ["default: /var/lib/tug", "default: /etc/tug/config.yaml",
                        "default: full", "default: 5m", "default: 1000"]:
            self.assertIn(default, r.stdout)
        self.assertEqual(tug("help", "server").stdout, r.stdout)
        self.assertEqual(tug("server", "-h").stdout, r.stdout)

    def test_version(self):
        expected = re.compile(
            r"^tug version v\d+\.\d+\.\d+ \(git \S+\)\nkubernetes v1\.\d+\.\d+\n$")
        for args in (["--version"], ["version"]):
            r = tug(*args)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertRegex(r.stdout, expected)
            self.assertEqual(r.stderr, "")


class UsageErrorTest(TugTestCase):
    def test_unknown_subcommand(self):
        self.assert_one_error_line(tug("frobnicate"), 2, 'unknown command "frobnicate"',
                                   "tug --help")

    def test_no_subcommand_prints_help_and_fails(self):
        r = tug()
        self.assertEqual(r.returncode, 2)
        self.assertIn("Usage: tug <command>", r.stderr)

    def test_unknown_flags(self):
        self.assert_one_error_line(tug("--foo"), 2, "unknown flag --foo")
        self.assert_one_error_line(tug("server", "--foo"), 2,
                                   'unknown flag --foo for "tug server" (see tug server --help)')
        self.assert_one_error_line(tug("server", "-x"), 2, "unknown flag -x")
        self.assert_one_error_line(tug("version", "--debug"), 2,
                                   'unknown flag --debug for "tug version"')

    def test_stray_argument(self):
        self.assert_one_error_line(tug("server", "now"), 2, 'unexpected argument "now"')

    def test_bad_flag_values_name_the_flag(self):
        cases = [
            (["--datastore-retain-revisions", "abc"],
             'invalid value "abc" for flag --datastore-retain-revisions: not an integer'),
            (["--datastore-retention=5"], 'invalid value "5" for flag --datastore-retention'),
            (["--datastore-max-bytes=2GB"], 'invalid value "2GB" for flag --datastore-max-bytes'),
            (["--datastore-durability", "fast"], "must be one of full, normal"),
            (["--debug=maybe"], 'invalid value "maybe" for flag --debug'),
            (["--data-dir"], "flag --data-dir needs a value"),
            (["--terminated-pod-gc-threshold", "many"],
             'invalid value "many" for flag --terminated-pod-gc-threshold: not an integer'),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                self.assert_one_error_line(tug("server", "-c", self.config, *args), 2, message)

    def test_missing_explicit_config_file(self):
        missing = os.path.join(self.tmp, "missing.yaml")
        self.assert_one_error_line(tug("server", "--config", missing), 2,
                                   "config file %s does not exist" % missing)

    def test_config_file_errors_name_file_and_line(self):
        write(self.config, "debug: true\n\nno-such-flag: 1\n")
        self.assert_one_error_line(tug("server", "-c", self.config), 2,
                                   '%s:3: unknown key "no-such-flag"' % self.config)
        dropin = self.config + ".d/10-bad.yaml"
        write(self.config, "")
        write(dropin, "datastore-retention: soon\n")
        self.assert_one_error_line(tug("server", "-c", self.config), 2,
                                   '%s:1: invalid value "soon" for datastore-retention' % dropin)
        write(dropin, "debug: [true\n")
        self.assert_one_error_line(tug("server", "-c", self.config), 2, dropin + ":",
                                   "invalid YAML")


class ServerTest(TugTestCase):
    def test_start_lock_stop_restart(self):
        data = os.path.join(self.tmp, "data")
        db = os.path.join(data, "server", "db")
        first = self.start_server("--data-dir", data, "-c", self.config, name="first")
        log = first.wait_for(STARTED)
        self.assertIn("data dir " + data, log)
        self.assertTrue(os.path.exists(os.path.join(db, "state.db")))
        self.assertEqual(stat.S_IMODE(os.stat(db).st_mode), 0o700)

        second = tug("server", *loopback(self.tmp, "second"), "--data-dir", data, "-c",
                     self.config)
        self.assert_one_error_line(second, 1, "in use", "another tug server")
        self.assertIsNone(first.proc.poll(), "the first server died:\n" + first.output())

        self.assertEqual(first.stop(signal.SIGTERM), 0, first.output())
        self.assertRegex(first.output(),
                         r"(?s)received SIGTERM, shutting down\n.*server: stopped\n$")

        again = self.start_server("--data-dir", data, "-c", self.config, name="again")
        again.wait_for(STARTED)
        self.assertEqual(again.stop(signal.SIGINT), 0, again.output())
        self.assertIn("received SIGINT", again.output())

    def test_config_file_and_dropins_set_data_dir_and_debug(self):
        wrong = os.path.join(self.tmp, "wrong")
        right = os.path.join(self.tmp, "right")
        write(self.config, "data-dir: %s\ndebug: false\n" % wrong)
        write(self.config + ".d/20-later.yaml", "data-dir: %s\n" % right)
        write(self.config + ".d/10-earlier.yaml", "data-dir: %s\ndebug: true\n" % wrong)
        server = self.start_server("--config", self.config)
        log = server.wait_for(STARTED)
        self.assertIn("data dir " + right, log)
        self.assertIn(" DEBUG ", log)
        self.assertIn("read config file %s.d/20-later.yaml" % self.config, log)
        self.assertTrue(os.path.exists(os.path.join(right, "server", "db", "state.db")))
        self.assertFalse(os.path.exists(wrong))
        self.assertEqual(server.stop(), 0, server.output())

    def test_flags_override_config_file(self):
        data = os.path.join(self.tmp, "flag-data")
        write(self.config, "data-dir: %s\ndebug: true\n" % os.path.join(self.tmp, "file-data"))
        server = self.start_server("-c", self.config, "-d", data, "--debug=false")
        log = server.wait_for(STARTED)
        self.assertIn("data dir " + data, log)
        self.assertNotIn(" DEBUG ", log)
        self.assertEqual(server.stop(), 0, server.output())

    def test_log_file(self):
        data = os.path.join(self.tmp, "data")
        log_path = os.path.join(self.tmp, "tug.log")
        server = self.start_server("-c", self.config, "-d", data, "--log", log_path)
        server.wait_for(STARTED, path=log_path)
        self.assertEqual(server.stop(), 0, server.output())
        self.assertRegex(read_if_exists(log_path), r"stopped\n$")
        self.assertNotIn("server:", server.output())

    def test_unusable_data_dir_fails_with_one_line(self):
        blocker = os.path.join(self.tmp, "a-file")
        write(blocker, "")
        r = tug("server", *loopback(self.tmp), "-c", self.config, "--data-dir", blocker)
        self.assert_one_error_line(r, 1, blocker)

    def test_unwritable_log_file_fails_with_one_line(self):
        r = tug("server", *loopback(self.tmp), "-c", self.config, "-d", os.path.join(self.tmp, "d"),
                "--log", os.path.join(self.tmp, "no", "such", "dir", "tug.log"))
        self.assert_one_error_line(r, 1, "cannot open log file")


if __name__ == "__main__":
    if not TUG or not os.access(TUG, os.X_OK):
        print("TUG_BIN must name the tug executable", file=sys.stderr)
        sys.exit(1)
    unittest.main(verbosity=2)
