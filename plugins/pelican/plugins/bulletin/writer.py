"""The forked writer: every page and feed Pelican asks for is recorded as a WriteJob, then rendered at the end by this
process and forked copies of it, each taking the jobs whose file name hashes to it (so a name written twice still
meets Pelican's own overwrite check in one process). Warnings logged by the copies are logged again here. The same
bytes as Pelican's own writer; with one worker (BULLETIN_WORKERS = 0 or 1) and no live preview it is that writer.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import zlib
from dataclasses import dataclass, replace

from pelican.writers import FileOverwriteFailedError, Writer

from .state import get_state


@dataclass(frozen=True)
class WriteJob:
    """One page (or paginated list) or feed Pelican asked for, kept to be written later with its own writer code."""

    method: str  # "write_file" or "write_feed"
    name: str  # the output file, relative to the output folder
    args: tuple  # the arguments after the name (write_file: template, context, …) or all of them (write_feed)
    kwargs: dict

    @property
    def is_feed(self) -> bool:
        """Tell whether the job writes a feed (else a page, or a paginated list of pages)."""
        return self.method == "write_feed"

    def with_template(self, template) -> WriteJob:
        """Return the same page job rendering with another template."""
        return replace(self, args=(template, *self.args[1:]))

    def run(self, writer: Writer) -> None:
        """Write it with Pelican's own writer code."""
        if self.is_feed:
            Writer.write_feed(writer, *self.args, **self.kwargs)
        else:
            Writer.write_file(writer, self.name, *self.args, **self.kwargs)


class _Capture(logging.Handler):
    """Keep the log records of a forked writer, to be logged again by the parent."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class ParallelWriter(Writer):
    """Pelican's writer, except that pages and feeds are recorded and rendered at the end by several processes."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        state = get_state(self.settings)
        self.workers = state.workers
        self.jobs: list[WriteJob] = []
        self.live = state.live
        self.defer = self.workers > 1 or self.live is not None
        state.writer = self

    def write_file(self, name, *args, **kwargs):
        """Render one template into a file (or several, when paginated): later, when working in parallel."""
        if not self.defer or not name:
            return super().write_file(name, *args, **kwargs)
        self.jobs.append(WriteJob("write_file", name, args, kwargs))
        return None

    def write_feed(self, elements, context, path=None, url=None, *args, **kwargs):
        """Write a feed: later, when working in parallel."""
        if not self.defer or not path:
            return super().write_feed(elements, context, path, url, *args, **kwargs)
        self.jobs.append(WriteJob("write_feed", path, (elements, context, path, url, *args), kwargs))
        return None

    def _run(self, jobs: list[WriteJob]) -> None:
        """Do some recorded jobs with Pelican's own writer code."""
        for job in jobs:
            job.run(self)

    def flush(self) -> None:
        """Render every recorded job: this process and forked copies share them by file name."""
        jobs, self.jobs = self.jobs, []
        if self.live is not None:
            self.live["jobs"] = jobs
        if not jobs:
            return
        shares: list[list] = [[] for _ in range(self.workers)]
        for job in jobs:
            shares[zlib.crc32(job.name.encode("utf-8")) % self.workers].append(job)
        gc.collect()
        gc.freeze()  # keep the copies from touching (and so duplicating) every object's memory
        children = [self._fork(share) for share in shares[1:]]
        failure = None
        try:
            self._run(shares[0])
        except Exception as error:  # wait for the copies before re-raising
            failure = error
        finally:
            gc.unfreeze()
        for pid, reader in children:
            with os.fdopen(reader, "rb") as pipe:
                data = pipe.read()
            os.waitpid(pid, 0)
            report = pickle.loads(data) if data else {"error": RuntimeError("tiến trình ghi trang dừng bất thường")}
            for name, level, message in report.get("logs", []):
                logging.getLogger(name).log(level, "%s", message)
            if failure is None and report.get("error") is not None:
                failure = report["error"]
            if failure is None:
                twice = (self._written_files & report["written"]) - (self._overridden_files | report["overridden"])
                if twice:
                    failure = FileOverwriteFailedError(f'Failed to overwrite "{sorted(twice)[0]}" as Pelican has already written to it previously')
                self._written_files |= report["written"]
                self._overridden_files |= report["overridden"]
        if failure is not None:
            raise failure

    def _fork(self, share: list) -> tuple[int, int]:
        """Start a copy of this process that renders a share of the jobs and reports back through a pipe."""
        reader, writer = os.pipe()
        pid = os.fork()
        if pid:
            os.close(writer)
            return pid, reader
        os.close(reader)
        code = 0
        try:
            capture = _Capture()
            root = logging.getLogger()
            root.handlers = [capture]
            report = {"logs": capture.records, "error": None}
            try:
                self._run(share)
            except Exception as error:
                report["error"] = _picklable(error)
            report["written"], report["overridden"] = self._written_files, self._overridden_files
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(pickle.dumps(report))
        except BaseException:
            code = 1
        finally:
            os._exit(code)


def _picklable(error: Exception) -> Exception:
    """Return the error itself when it can cross the pipe, else a RuntimeError with its text."""
    try:
        pickle.dumps(error)
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


def writer_class(pelican):
    """Give Pelican the parallel writer."""
    return ParallelWriter


def flush_writes(pelican) -> None:
    """Render every page and feed recorded during the output phase."""
    state = get_state(pelican.settings)
    writer, state.writer = state.writer, None
    if writer is not None:
        writer.flush()
