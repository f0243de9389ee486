"""What huggingface_hub reads from the environment it is started in (bench/hf-differential.ts).

    python3 bench/hf-read.py SRC

SRC is huggingface_hub's `src` folder (git archive of the mirrored repository). Imports
`huggingface_hub.constants` with the variables as they are, then the token reader
(`utils/_auth.py`) with the packages Debian's python3 lacks (httpx, tqdm, ...) replaced by
empty stand-ins, and prints one JSON object: the error the import raised, or each constant
kitcfg sets, the token the client reads from its file, and the URL it builds for a call.
"""

import importlib.abc
import importlib.machinery
import json
import os
import sys
import types

CONSTANTS = [
    "HF_HOME",
    "HF_HUB_CACHE",
    "HF_ASSETS_CACHE",
    "HF_TOKEN_PATH",
    "ENDPOINT",
    "HF_HUB_OFFLINE",
    "HF_HUB_DISABLE_TELEMETRY",
    "HF_HUB_DISABLE_PROGRESS_BARS",
    "HF_HUB_DISABLE_SYMLINKS_WARNING",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN",
    "HF_HUB_DISABLE_XET",
    "HF_HUB_ETAG_TIMEOUT",
    "HF_HUB_DOWNLOAD_TIMEOUT",
]
THIRD_PARTY = {"httpx", "tqdm", "filelock", "yaml", "packaging", "fsspec", "hf_xet", "requests"}


class _Meta(type):
    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Stand()

    def __getitem__(cls, item):
        return cls

    def __or__(cls, other):
        return cls

    def __ror__(cls, other):
        return cls


class _Stand(metaclass=_Meta):
    """Anything a module missing here is asked for at import: a class, a function, a value."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return _Stand()

    def __getattr__(self, name):
        return _Stand()


class _StandModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return type(name, (_Stand,), {})


class _StandFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in THIRD_PARTY:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        return _StandModule(spec.name)

    def exec_module(self, module):
        module.__path__ = []


def main():
    sys.path.insert(0, sys.argv[1])
    out = {"environ": {k: v for k, v in os.environ.items() if k.startswith("HF_") or k.endswith("_PROXY")}}
    try:
        from huggingface_hub import constants
    except Exception as error:  # the client cannot start: what kitcfg must refuse
        out["error"] = f"{type(error).__name__}: {error}"
        print(json.dumps(out))
        return
    out["constants"] = {name: getattr(constants, name) for name in CONSTANTS}
    # Where a call goes: every API URL is f"{ENDPOINT}/api/..." (hf_api.py).
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(constants.ENDPOINT + "/api/models")
        out["apiPath"] = parts.path
        out["apiHost"] = parts.hostname
        out["apiScheme"] = parts.scheme
        out["apiPort"] = parts.port
    except Exception as error:
        out["apiError"] = f"{type(error).__name__}: {error}"
    sys.meta_path.append(_StandFinder())
    try:
        from huggingface_hub.utils import _auth

        out["token"] = _auth._get_token_from_file()
    except Exception as error:
        out["tokenError"] = f"{type(error).__name__}: {error}"
    print(json.dumps(out))


main()
