"""The run folder of one training run: its lock, what it already holds, its epoch log.

    >>> with RunFolder("runs/demo", epochs=3) as folder:      # doctest: +SKIP
    ...     ...  # train, calling folder.log_epoch(epoch, logs) after every epoch
    ...     history = folder.history()

Rules that keep runs from being lost or mixed up:

- **One run at a time.** ``.lock`` holds the pid and host of the run using the
  folder, under an ``flock``: a second run is refused with the holder's pid,
  and the lock of a killed run (whose ``flock`` died with it) is taken over.
  It is released on every exit, exceptions and Ctrl-C included.
- **Nothing replaced by accident.** A folder holding a finished run
  (``model.keras``/``metrics.json``) or the checkpoints of an interrupted one
  is only trained into with ``resume=True`` (continue the checkpoints) or
  ``overwrite=True`` (start over); otherwise nothing in it changes.
- **No litter.** A run that fails leaves no folder it created unless there is
  something in it to resume or keep.
- **Whole history.** ``history.jsonl`` gets one line per finished epoch, so a
  resumed run's ``metrics.json`` holds the epochs before the interruption too.
"""

import fcntl
import json
import os
import re
import shutil
import socket
import sys
import time

from kerazoo.errors import UserError

LOCK = ".lock"
EPOCH_LOG = "history.jsonl"
CHECKPOINTS = "checkpoints"
RESULTS = ("model.keras", "metrics.json")
# Everything a run writes, removed by overwrite=True.
_RUN_FILES = (*RESULTS, "curves.png", EPOCH_LOG, CHECKPOINTS, "logs")


def checkpoint_epoch(checkpoint_dir):
    """Epochs done by the checkpoint in ``checkpoint_dir`` (0 when there is none).

    Reads what ``keras.callbacks.BackupAndRestore`` (``training_metadata.json``)
    or a ``tf.train.CheckpointManager`` (``checkpoint``, ``ckpt-N``) wrote.
    """
    try:
        with open(os.path.join(checkpoint_dir, "training_metadata.json")) as f:
            return int(json.load(f)["epoch"])
    except FileNotFoundError:
        pass
    except (ValueError, KeyError, TypeError) as error:
        raise UserError(f"{checkpoint_dir}/training_metadata.json is unreadable ({error}); "
                        "pass --overwrite to start over.") from None
    try:
        with open(os.path.join(checkpoint_dir, "checkpoint")) as f:
            found = re.search(r'^model_checkpoint_path: "ckpt-(\d+)"', f.read(), re.M)
    except FileNotFoundError:
        return 0
    return int(found.group(1)) if found else 0


def _holder(fd):
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 200).decode(errors="replace").strip() or "unknown pid"


def acquire_lock(folder):
    """Take the run lock of ``folder`` (which exists); returns its file descriptor.

    Raises ``UserError`` naming the holder when a live process has it.
    """
    path = os.path.join(folder, LOCK)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise UserError(f"{folder} is in use by another training run ({holder}); "
                            "wait for it to end or choose another --output.") from None
        try:
            # The holder may have removed the file between our open and flock.
            if os.path.samestat(os.fstat(fd), os.stat(path)):
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    stale = _holder(fd) if os.fstat(fd).st_size else None
    if stale:
        print(f"kerazoo: taking over the lock of a run that ended without releasing it "
              f"({stale}) in {folder}", file=sys.stderr)
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}, "
                 f"since {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
    return fd


def release_lock(folder, fd):
    """Remove ``folder``'s lock file, then let go of the lock."""
    try:
        os.unlink(os.path.join(folder, LOCK))
    except FileNotFoundError:
        pass
    os.close(fd)  # closing the last descriptor releases the flock


class RunFolder:
    """Context manager owning a run folder for one training run (see the module doc).

    Args:
        path: the run folder; created when missing.
        epochs: the run's total epochs (a resumed run must go beyond its checkpoint).
        resume: continue from the checkpoints in ``path/checkpoints``.
        overwrite: remove a previous run's files and start over.

    Attributes after entering: ``start_epoch`` (epochs already done by the
    checkpoint being resumed, else 0) and ``checkpoints`` (its path).
    """

    def __init__(self, path, *, epochs, resume=False, overwrite=False):
        self.path, self.epochs = path, epochs
        self.resume, self.overwrite = resume, overwrite
        self.checkpoints = os.path.join(path, CHECKPOINTS)
        self.start_epoch = 0

    def __enter__(self):
        if os.path.exists(self.path) and not os.path.isdir(self.path):
            raise UserError(f"--output {self.path} is a file; give a folder.")
        self._created = not os.path.exists(self.path)
        os.makedirs(self.path, exist_ok=True)
        try:
            self._lock = acquire_lock(self.path)
        except BaseException:
            self._remove_if_created()
            raise
        try:
            self._prepare()
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def __exit__(self, kind, error, traceback):
        release_lock(self.path, self._lock)
        if kind is not None and not self._worth_keeping():
            self._remove_if_created()
        return False

    def _remove_if_created(self):
        if self._created:
            shutil.rmtree(self.path, ignore_errors=True)

    def _worth_keeping(self):
        try:
            return bool(checkpoint_epoch(self.checkpoints) or self._results())
        except UserError:  # an unreadable checkpoint is still the user's to inspect
            return True

    def _results(self):
        return [name for name in RESULTS if os.path.exists(os.path.join(self.path, name))]

    def _prepare(self):
        """Check what the folder holds against resume/overwrite; clear what starts over."""
        if self.overwrite:
            self._clear(_RUN_FILES)
            return
        done = checkpoint_epoch(self.checkpoints)
        if done and self.resume:
            if self.epochs <= done:
                raise UserError(
                    f"{self.path} has a checkpoint after epoch {done}, so resuming with "
                    f"epochs={self.epochs} has nothing to train; pass the run's total "
                    f"epochs (more than {done}), or --overwrite to start over.")
            self.start_epoch = done
            self._keep_logged_epochs(done)
        elif done:
            raise UserError(f"{self.path} holds the checkpoints of an interrupted run "
                            f"(epoch {done}); pass --resume to continue it or --overwrite "
                            "to start over.")
        elif self._results():
            raise UserError(f"{self.path} holds a finished run ({', '.join(self._results())});"
                            " pass --overwrite to replace it, --init-from "
                            f"{os.path.join(self.path, 'model.keras')} to continue training "
                            "it, or choose another --output.")
        else:
            self._clear((EPOCH_LOG, CHECKPOINTS))  # leftovers of a run that saved nothing

    def _clear(self, names):
        for name in names:
            path = os.path.join(self.path, name)
            if os.path.isdir(path):
                shutil.rmtree(path)
            elif os.path.exists(path):
                os.remove(path)

    def _logged_epochs(self):
        """``{epoch: logs}`` from the epoch log; a later line for an epoch wins."""
        rows = {}
        try:
            with open(os.path.join(self.path, EPOCH_LOG)) as f:
                lines = f.readlines()
        except FileNotFoundError:
            return rows
        for line in lines:
            try:
                row = json.loads(line)
                rows[int(row.pop("epoch"))] = row
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # a line cut short by a kill; the others are still good
        return rows

    def _keep_logged_epochs(self, done):
        """Keep only the logged epochs the checkpoint being resumed includes."""
        rows = {e: row for e, row in self._logged_epochs().items() if e < done}
        with open(os.path.join(self.path, EPOCH_LOG), "w") as f:
            f.writelines(json.dumps({"epoch": e, **row}) + "\n" for e, row in sorted(rows.items()))

    def log_epoch(self, epoch, logs):
        """Record epoch ``epoch``'s (0-based) logs; call it before the epoch is checkpointed."""
        row = {"epoch": int(epoch), **{k: float(v) for k, v in (logs or {}).items()}}
        with open(os.path.join(self.path, EPOCH_LOG), "a") as f:
            f.write(json.dumps(row) + "\n")

    def history(self):
        """The whole run's ``{quantity: [value per epoch]}``, resumed epochs included."""
        rows = [row for epoch, row in sorted(self._logged_epochs().items())
                if epoch < self.epochs]
        history = {}
        for row in rows:
            for key, value in row.items():
                history.setdefault(key, []).append(value)
        return history
