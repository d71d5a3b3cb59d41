"""Running the cptsmap binary from an algorithm: its --progress=json lines on stderr drive the
feedback's progress bar; its other stderr lines (warnings, the one-line error) go to the log as the
CLI words them; feedback.isCanceled() sends it SIGTERM, on which it removes its staging folders and
exits, so that the output folder is never left half-written."""

import json
import os
import queue
import shutil
import subprocess
import threading

from qgis.core import QgsProcessingException

BINARY_SETTING = "CPTSMAP_BINARY"

# Share of the progress bar each phase of the CLI takes (build: computing then writing).
_PHASES = {"computing": (0.0, 70.0), "writing": (70.0, 100.0), "checking": (0.0, 100.0), "resolving": (0.0, 100.0)}


def find_binary():
    """The binary set in the provider's settings, else `cptsmap` on PATH; None when neither is there."""
    from processing.core.ProcessingConfig import ProcessingConfig

    configured = ProcessingConfig.getSetting(BINARY_SETTING)
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    return shutil.which("cptsmap")


def binary_problem():
    """Why there is no usable binary, or "" when there is one."""
    if find_binary() is not None:
        return ""
    from processing.core.ProcessingConfig import ProcessingConfig

    configured = ProcessingConfig.getSetting(BINARY_SETTING)
    if configured:
        return "cptsmap binary {} (Settings > Options > Processing > Providers > cptsmap) is not an executable file".format(configured)
    return "cptsmap binary not found: put it on PATH or set its path in Settings > Options > Processing > Providers > cptsmap"


def binary_or_fail():
    path = find_binary()
    if path is None:
        raise QgsProcessingException(binary_problem())
    return path


def _read_lines(stream, sink, tag):
    for raw in iter(stream.readline, b""):
        sink.put((tag, raw.decode("utf-8", errors="replace").rstrip("\r\n")))
    sink.put((tag, None))


def progress_of(line):
    """The progress object a stderr line holds, or None when it is another line (warning, error)."""
    if not line.startswith("{"):
        return None
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    if isinstance(obj, dict) and {"phase", "step", "done", "total"} <= obj.keys():
        return obj
    return None


def run(args, feedback, poll_seconds=0.05):
    """Runs `cptsmap --progress=json ARGS...`; returns its stdout lines. Raises QgsProcessingException
    with the CLI's error line when it fails, and when the run is canceled (after SIGTERM)."""
    command = [binary_or_fail(), "--progress=json"] + [str(a) for a in args]
    feedback.pushCommandInfo(" ".join(_quote(a) for a in command))
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        stdout, errors, terminated = _follow(proc, feedback, poll_seconds)
    if terminated or feedback.isCanceled():
        message = errors[-1] if errors else "cptsmap: canceled"
        feedback.pushInfo(message)
        raise QgsProcessingException("canceled: " + message)
    if proc.returncode != 0:
        message = errors[-1] if errors else "cptsmap exited with code {}".format(proc.returncode)
        feedback.reportError(message, True)
        raise QgsProcessingException(message)
    return stdout


def _follow(proc, feedback, poll_seconds):
    """Reads the process's stdout and stderr to their ends, sending SIGTERM on cancel; returns the
    stdout lines, the error lines, and whether it was terminated."""
    lines = queue.Queue()
    readers = [
        threading.Thread(target=_read_lines, args=(proc.stdout, lines, "out"), daemon=True),
        threading.Thread(target=_read_lines, args=(proc.stderr, lines, "err"), daemon=True),
    ]
    for t in readers:
        t.start()
    stdout, errors, open_streams, terminated = [], [], 2, False
    while open_streams > 0:
        if feedback.isCanceled() and not terminated:
            proc.terminate()  # SIGTERM: the CLI removes its staging folders and exits with 143
            terminated = True
        try:
            tag, line = lines.get(timeout=poll_seconds)
        except queue.Empty:
            continue
        if line is None:
            open_streams -= 1
        elif tag == "out":
            stdout.append(line)
        else:
            _stderr_line(line, feedback, errors)
    proc.wait()
    for t in readers:
        t.join()
    return stdout, errors, terminated


def _stderr_line(line, feedback, errors):
    progress = progress_of(line)
    if progress is not None:
        low, high = _PHASES.get(progress["phase"], (0.0, 100.0))
        total = progress["total"] or 1
        feedback.setProgressText("{}: {} ({}/{})".format(progress["phase"], progress["step"], progress["done"], progress["total"]))
        feedback.setProgress(low + (high - low) * progress["done"] / total)
        return
    if not line:
        return
    if line.startswith("warning: "):
        feedback.pushWarning(line)
    elif line.startswith("cptsmap: "):
        errors.append(line)
    else:
        feedback.pushConsoleInfo(line)


def _quote(arg):
    return arg if arg and all(c.isalnum() or c in "-_./=:,@" for c in arg) else "'" + arg.replace("'", "'\\''") + "'"

