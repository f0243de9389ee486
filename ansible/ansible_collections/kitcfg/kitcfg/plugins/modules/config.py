#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: config
short_description: Set the configuration of one daemon with kitcfg
description:
  - Builds a desired state for one daemon (kubo C(ipfs), C(ipfs-cluster-service), C(ipfs-cluster-follow), C(lotus),
    C(s3), ...) and runs C(kitcfg apply -) on the managed host, or C(kitcfg plan -) in check mode.
  - A daemon not yet configured gets kitcfg's defaults (identities and secrets generated on the host) plus these
    values; a configured one gets only the keys named changed. Keys not named keep their values.
  - Values are typed by the daemon's schema exactly as C(kitcfg update --set) types them. A refused value fails the
    task with kitcfg's one-line message and nothing is written.
  - Secrets given in O(secrets) are never shown (the parameter is C(no_log)); kitcfg redacts secrets in the
    diff and in every field it returns. A secret key given in O(set) instead (kitcfg names it in C(secretKeys)) has
    its value hidden in the task's result too, and in Ansible's log line of the module's arguments on the host
    (syslog or the journal), which the module writes once kitcfg has answered. O(secrets) is still the place for
    them.
version_added: "0.1.0"
options:
  daemon:
    description: The daemon, as kitcfg names it (C(ipfs), C(ipfs-cluster-service), C(ipfs-cluster-follow), ...).
    type: str
    required: true
  set:
    description:
      - Keys to set, dotted paths in the daemon's own spelling (C(Addresses.API), C(cluster.peer_addresses)).
      - A value C(@/path) reads the value from a file on the managed host, C(env:NAME) from kitcfg's environment.
    type: dict
    default: {}
  secrets:
    description:
      - Like O(set), for values that must never be displayed (a cluster secret, an access key). Merged into O(set);
        a key may not be in both.
      - Each value is taken as written, never as a reference (C(@/path), C(env:NAME)) to read.
    type: dict
    default: {}
  unset:
    description: Keys to remove (back to the daemon's default), before the keys of O(set) are set.
    type: list
    elements: str
    default: []
  profile:
    description: A profile applied first (kubo's C(server), C(lowpower), ...).
    type: str
  instance:
    description: The instance, for daemons that have several (a followed cluster of C(ipfs-cluster-follow)).
    type: str
  source:
    description: For an C(ipfs-cluster-follow) instance, the URL (or DNSLink name) its configuration is fetched from.
    type: str
  root:
    description: Put every file under this folder (kitcfg C(--root)); by default the real paths in the user's home.
    type: path
  binary:
    description: The kitcfg executable on the managed host, a path or a name looked up on C(PATH).
    type: str
    default: kitcfg
notes:
  - Check mode runs C(kitcfg plan) and writes nothing. Diff mode shows each file's before and after text, secrets
    redacted by kitcfg.
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
author:
  - kitcfg contributors
"""

EXAMPLES = r"""
- name: kubo listens for its API on loopback only, with the server profile
  kitcfg.kitcfg.config:
    daemon: ipfs
    profile: server
    set:
      Addresses.API: /ip4/127.0.0.1/tcp/5001
      Swarm.ConnMgr.HighWater: 200

- name: The cluster secret from Ansible Vault, never displayed
  kitcfg.kitcfg.config:
    daemon: ipfs-cluster-service
    set:
      ipfs_connector.ipfshttp.node_multiaddress: /ip4/127.0.0.1/tcp/5001
    secrets:
      cluster.secret: "{{ vault_cluster_secret }}"

- name: Follow a collaborative cluster
  kitcfg.kitcfg.config:
    daemon: ipfs-cluster-follow
    instance: collab
    source: https://example.org/collab/service.json
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
    literal_values,
    run_desired_state,
)


def main():
    argument_spec = dict(
        daemon=dict(type="str", required=True),
        set=dict(type="dict", default={}),
        secrets=dict(type="dict", default={}, no_log=True),
        unset=dict(type="list", elements="str", default=[]),
        profile=dict(type="str"),
        instance=dict(type="str"),
        source=dict(type="str"),
        **COMMON_ARGUMENT_SPEC
    )
    module = KitcfgModule(argument_spec=argument_spec, supports_check_mode=True)
    run_desired_state(module, state=build_state(module))


def build_state(module):
    """The one-daemon desired state kitcfg reads, from the module's options."""
    params = module.params
    both = sorted(set(params["set"]) & set(params["secrets"]))
    if both:
        module.fail_json(msg="Cannot use %s in both set and secrets: give each key once" % ", ".join(both))
    section = {}
    values = dict(params["set"])
    # Secrets are values as written: one that starts with "@" or "env:" is no reference.
    values.update(literal_values(params["secrets"]))
    # unset first, as in a TOML file: a key cleared and filled again ends up filled.
    if params["unset"]:
        section["unset"] = params["unset"]
    if values:
        section["set"] = values
    if params["profile"]:
        section["profile"] = params["profile"]
    if params["source"]:
        section["source"] = params["source"]
    if params["instance"]:
        return {params["daemon"]: {"instances": {params["instance"]: section}}}
    return {params["daemon"]: section}


if __name__ == "__main__":
    main()
