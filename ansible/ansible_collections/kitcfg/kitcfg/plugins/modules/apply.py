#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: apply
short_description: Apply a kitcfg desired-state file (every daemon of a host at once)
description:
  - Runs C(kitcfg apply) on the managed host with a desired state, or C(kitcfg plan) in check mode.
  - The desired state names, per daemon, the keys to set and unset, a profile, and instances (see the kitcfg
    README, "Fleet"). Daemons not named are left alone; keys not named keep their values.
  - Everything is planned and validated first, checks across daemons included; when any daemon is refused nothing
    is written on any daemon, and the task fails with kitcfg's one-line message.
version_added: "0.1.0"
options:
  state:
    description: The desired state, as a dict (sent to kitcfg as JSON on stdin).
    type: dict
  src:
    description: A desired-state file (TOML or JSON) on the managed host, read by kitcfg.
    type: path
  secrets:
    description:
      - A partial desired state holding secret values, merged into O(state) (dicts merge key by key). The
        parameter is C(no_log), so its values are never displayed.
      - 'Example: C({"ipfs-cluster-service": {"set": {"cluster.secret": "..."}}}).'
      - Only with O(state); a file given by O(src) should refer to secrets (C(@/path), C(env:NAME)) instead.
      - The values of each C(set) in it are taken as written, never as references to read.
    type: dict
    default: {}
  root:
    description: Put every file under this folder (kitcfg C(--root)); by default the real paths in the user's home.
    type: path
  binary:
    description: The kitcfg executable on the managed host, a path or a name looked up on C(PATH).
    type: str
    default: kitcfg
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
author:
  - kitcfg contributors
"""

EXAMPLES = r"""
- name: kubo and cluster on one host, in one all-or-nothing change
  kitcfg.kitcfg.apply:
    state:
      ipfs:
        profile: server
        set:
          Addresses.API: /ip4/127.0.0.1/tcp/5001
      ipfs-cluster-service:
        set:
          ipfs_connector.ipfshttp.node_multiaddress: /ip4/127.0.0.1/tcp/5001
          cluster.secret: "@/etc/kitcfg/cluster-secret"

- name: A desired-state file already on the host
  kitcfg.kitcfg.apply:
    src: /etc/kitcfg/desired.toml

- name: Detect drift without changing anything
  kitcfg.kitcfg.apply:
    src: /etc/kitcfg/desired.toml
  check_mode: true
  register: drift
"""

RETURN = r"""
changed:
  description: Whether a file was (or, in check mode, would be) written.
  type: bool
  returned: always
facts:
  description:
    - What other hosts need, from kitcfg; C(ipfs) has C(peer_id), C(swarm_addresses), C(api_address);
      C(ipfs-cluster-service) has C(peer_id), C(listen_addresses), C(secret_fingerprint) (never the secret).
    - Also set as the host fact C(kitcfg_facts), which each task sets anew to the daemons it names (not merged
      with an earlier task's); register the result to keep it.
  type: dict
  returned: success
daemons:
  description: Per daemon, kitcfg's report (action, keys changed, files with redacted before/after texts, issues).
  type: list
  elements: dict
  returned: success and on a refusal
msg:
  description: kitcfg's one-line message, on failure.
  type: str
  returned: failure
"""

from ansible_collections.kitcfg.kitcfg.plugins.module_utils.kitcfg import (
    COMMON_ARGUMENT_SPEC,
    KitcfgModule,
    deep_merge,
    literal_secrets,
    run_desired_state,
)


def main():
    argument_spec = dict(
        state=dict(type="dict"),
        src=dict(type="path"),
        secrets=dict(type="dict", default={}, no_log=True),
        **COMMON_ARGUMENT_SPEC
    )
    module = KitcfgModule(
        argument_spec=argument_spec,
        mutually_exclusive=[("state", "src")],
        required_one_of=[("state", "src")],
        supports_check_mode=True,
    )
    params = module.params
    if params["src"] is not None:
        if params["secrets"]:
            module.fail_json(msg="Cannot merge secrets into src: give the desired state as state, or refer to "
                                 "the secrets from the file (@/path, env:NAME)")
        run_desired_state(module, src=params["src"])
    run_desired_state(module, state=deep_merge(params["state"], literal_secrets(params["secrets"])))


if __name__ == "__main__":
    main()
