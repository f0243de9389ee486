# -*- coding: utf-8 -*-
"""Run the kitcfg binary on the managed host and turn its `--json` answer into a module result.

Everything kitcfg decides (typing values by schema, generating identities and secrets,
validating, redacting, writing atomically under a lock) stays in the binary. This file only
builds the command line, feeds the desired state on stdin, and maps exit codes:
`kitcfg plan` exits 0 when in sync and 4 when changes are pending; `kitcfg apply` exits 0
when done; anything else is a failure whose one-line message is kitcfg's own.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible.module_utils.basic import AnsibleModule

# `kitcfg plan` exit codes (README, "Exit codes"; plan follows `terraform plan -detailed-exitcode`).
PLAN_IN_SYNC = 0
PLAN_CHANGES_PENDING = 4

# The options both modules share; each module adds its own.
COMMON_ARGUMENT_SPEC = dict(
    root=dict(type="path"),
    binary=dict(type="str", default="kitcfg"),
)


class KitcfgModule(AnsibleModule):
    """An AnsibleModule whose log line of its arguments on the managed host (syslog, or the
    journal), which Ansible writes as a module starts, waits until kitcfg has said which keys
    are secrets (`secretKeys`, see `_hide_secrets_given`): a secret given under `set:` rather
    than `secrets:` is then hidden there as it is in the task's result. The line is written
    as the module exits, whichever way it exits; one that exits before kitcfg answered hides
    every text value given under `set:`. A task with `no_log` logs no line at all, as ever."""

    def _log_invocation(self):
        # Called by AnsibleModule.__init__ once the arguments are checked (never with no_log).
        self._kitcfg_log_due = True

    def exit_json(self, **kwargs):
        self._write_invocation_log()
        AnsibleModule.exit_json(self, **kwargs)

    def fail_json(self, *args, **kwargs):
        self._write_invocation_log()
        AnsibleModule.fail_json(self, *args, **kwargs)

    def _write_invocation_log(self):
        if not getattr(self, "_kitcfg_log_due", False):
            return
        self._kitcfg_log_due = False
        if not getattr(self, "_kitcfg_secrets_hidden", False):
            params = self.params or {}
            given = params.get("state") if isinstance(params.get("state"), dict) else {"": {"set": params.get("set")}}
            _hide_secrets_given(self, given, None)
        AnsibleModule._log_invocation(self)


def find_binary(module):
    """The absolute path of the kitcfg binary, or fail the task saying how to get one.

    A name without a slash is looked up on the managed host's PATH (plus the sbin folders
    Ansible adds); a path must name an executable file.
    """
    binary = module.params["binary"]
    if "/" in binary:
        if os.path.isfile(binary) and os.access(binary, os.X_OK):
            return binary
        reason = "does not exist" if not os.path.exists(binary) else "is not an executable file"
        module.fail_json(msg='Cannot run kitcfg: "%s" %s on this host: install it with the kitcfg.kitcfg.install '
                             "role or give binary= the path of the kitcfg executable" % (binary, reason))
    found = module.get_bin_path(binary, opt_dirs=["/usr/local/bin"])
    if not found:
        module.fail_json(msg='Cannot run kitcfg: "%s" is not on PATH on this host: install it with the '
                             "kitcfg.kitcfg.install role or give binary= the path of the kitcfg executable" % binary)
    return found


def run_desired_state(module, state=None, src=None):
    """Plan (check mode) or apply a desired state and exit the module with Ansible's result.

    `state` is a dict sent as JSON on stdin; `src` is a file on the managed host that kitcfg
    reads itself (JSON or TOML). Never returns.
    """
    binary = find_binary(module)
    command = "plan" if module.check_mode else "apply"
    argv = [binary, command, src if src is not None else "-", "--json"]
    if module.params.get("root"):
        argv += ["--root", module.params["root"]]
    data = json.dumps(state) if state is not None else None
    # NO_COLOR: kitcfg's human lines on stderr come back as plain text in `msg`.
    try:
        rc, stdout, stderr = module.run_command(
            argv, data=data, environ_update={"NO_COLOR": "1"}, handle_exceptions=False)
    except (OSError, IOError):
        # A program that ends without reading the state (not kitcfg at all) breaks the pipe.
        rc, stdout, stderr = None, "", ""
    if not stdout.strip() and not stderr.strip():
        module.fail_json(msg='Cannot run kitcfg: "%s" gave no answer%s: give binary= the path of the kitcfg '
                             "executable" % (binary, "" if rc is None else " (exit code %d)" % rc), rc=rc)
    answer = _parse_answer(module, command, rc, stdout, stderr, state)
    _hide_secrets_given(module, state, answer)
    accepted = (PLAN_IN_SYNC, PLAN_CHANGES_PENDING) if command == "plan" else (0,)
    if rc not in accepted or "error" in answer:
        _fail_with_answer(module, command, rc, answer, stderr)
    module.exit_json(**build_result(module, answer))


def build_result(module, answer):
    """Ansible's result from kitcfg's JSON: changed, per-daemon detail, facts, and a diff in diff mode."""
    daemons = answer.get("daemons") or []
    facts = answer.get("facts") or {}
    result = dict(
        changed=bool(answer.get("changed")),
        daemons=daemons,
        facts=facts,
        # Under ansible_facts so `hostvars[host].kitcfg_facts` works without `register`.
        ansible_facts=dict(kitcfg_facts=facts),
    )
    if module._diff:
        result["diff"] = build_diff(daemons)
    return result


def build_diff(daemons):
    """One Ansible diff entry per file kitcfg would create or change (texts already redacted by kitcfg)."""
    entries = []
    for daemon in daemons:
        label = daemon.get("daemon", "?")
        if daemon.get("instance"):
            label += "/" + daemon["instance"]
        for item in daemon.get("files") or []:
            before = item.get("before")
            after = item.get("after")
            if before == after:
                continue
            path = item.get("path", "?")
            header = "%s (%s)" % (path, label)
            entries.append(dict(
                before=before or "",
                after=after or "",
                before_header=header if before is not None else "/dev/null",
                after_header=header if after is not None else "/dev/null",
            ))
    return entries


def deep_merge(base, extra):
    """`extra` merged into a copy of `base`: dicts merge key by key, anything else from `extra` wins."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def literal_values(values):
    """`values` of a desired state's `set` as kitcfg takes them written: every string (in nested
    dicts too) after "@=", so that a secret starting with "@" or "env:" is never read as a file
    or variable reference, nor shown in the error such a reference gets. Lists are values
    kitcfg takes whole, as written already."""
    if isinstance(values, dict):
        return dict((key, literal_values(value)) for key, value in values.items())
    if isinstance(values, str):
        return "@=" + values
    return values


def literal_secrets(state):
    """A partial desired state of secrets with the values of each `set` (a daemon's, or an
    instance's) taken as written (`literal_values`)."""
    def section(body):
        if not isinstance(body, dict):
            return body
        body = dict(body)
        if isinstance(body.get("set"), dict):
            body["set"] = literal_values(body["set"])
        if isinstance(body.get("instances"), dict):
            body["instances"] = dict((name, section(inner)) for name, inner in body["instances"].items())
        return body
    return dict((daemon, section(body)) for daemon, body in state.items())


# --- internal ---


def _parse_answer(module, command, rc, stdout, stderr, state):
    try:
        answer = json.loads(stdout) if stdout.strip() else None
    except ValueError:
        answer = None
    if isinstance(answer, dict):
        return answer
    _hide_secrets_given(module, state, None)
    module.fail_json(
        msg="kitcfg %s exited with code %d without a JSON answer: %s" % (command, rc, _first_line(stderr) or "no output"),
        rc=rc,
    )


def _hide_secrets_given(module, state, answer):
    """Add the values of every `set` key kitcfg names a secret (`secretKeys`) to the module's
    `no_log_values`, so that Ansible hides them wherever it shows them: the module's own arguments
    (`invocation` with -vvv, or in a registered result) and any message. A secret belongs under
    `secrets:`, which is no_log; one given under `set:` is hidden all the same. Without kitcfg's
    answer for every daemon (a document it could not read), every value of every `set` is hidden."""
    module._kitcfg_secrets_hidden = True
    if not isinstance(state, dict):
        return
    daemons = (answer or {}).get("daemons")
    named = set(state) - set(d.get("daemon") for d in daemons or [] if isinstance(d, dict))
    secret_keys = set()
    for daemon in daemons or []:
        secret_keys.update(daemon.get("secretKeys") or [])
    everything = not daemons or bool(named)
    for values in _set_sections(state):
        for path, value in _leaves(values, ""):
            if everything or any(path == key or path.startswith(key + ".") or key.startswith(path + ".")
                                 for key in secret_keys):
                for text in _texts(value):
                    # Hiding every value, numbers stay: no secret is one, and "8080" hidden everywhere mangles output.
                    if not everything or isinstance(value, (str, dict, list)):
                        module.no_log_values.add(text)


def _set_sections(state):
    """The `set` dict of each daemon, and of each of its instances, in a desired state."""
    for body in state.values():
        if not isinstance(body, dict):
            continue
        if isinstance(body.get("set"), dict):
            yield body["set"]
        for inner in (body.get("instances") or {}).values() if isinstance(body.get("instances"), dict) else []:
            if isinstance(inner, dict) and isinstance(inner.get("set"), dict):
                yield inner["set"]


def _leaves(values, prefix):
    """(dotted key, value) of a `set` dict, a nested dict read as the keys inside it."""
    for key, value in values.items():
        path = prefix + str(key)
        if isinstance(value, dict) and value:
            for leaf in _leaves(value, path + "."):
                yield leaf
        else:
            yield path, value


def _texts(value):
    """The strings and numbers in a value, as the text Ansible would show, each without the "@="
    `literal_values` puts before a secret."""
    if isinstance(value, dict):
        for item in value.values():
            for text in _texts(item):
                yield text
    elif isinstance(value, list):
        for item in value:
            for text in _texts(item):
                yield text
    elif isinstance(value, str):
        if value:
            yield value
            if value.startswith("@="):
                yield value[2:]
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def _fail_with_answer(module, command, rc, answer, stderr):
    error = answer.get("error") or {}
    message = error.get("message") or _first_line(stderr) or "kitcfg %s exited with code %d" % (command, rc)
    details = dict(rc=rc, error=error)
    if answer.get("daemons"):
        details["daemons"] = answer["daemons"]
    module.fail_json(msg=message, **details)


def _first_line(text):
    for line in (text or "").splitlines():
        line = line.strip().lstrip("\u2716").strip()
        if line:
            return line
    return ""
