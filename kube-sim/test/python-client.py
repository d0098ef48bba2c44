"""The official Kubernetes Python client against kube-sim, used as its users write it. Each action
prints JSON: one object per line while it streams (watch, follow), else one object at the end.

    python-client.py KUBECONFIG list NAMESPACE SELECTOR LIMIT
    python-client.py KUBECONFIG watch NAMESPACE SELECTOR TIMEOUT RESOURCE_VERSION|- STOP_AFTER|-
    python-client.py KUBECONFIG exec NAMESPACE POD STDIN|- COMMAND...
    python-client.py KUBECONFIG logs NAMESPACE POD TAIL_LINES
    python-client.py KUBECONFIG follow NAMESPACE POD TAIL_LINES UNTIL
    python-client.py KUBECONFIG apply NAMESPACE YAML_FILE
    python-client.py KUBECONFIG server-side-apply NAMESPACE NAME
"""
import json
import sys

from kubernetes import client, config, utils, watch
from kubernetes.client.rest import ApiException
from kubernetes.dynamic import DynamicClient
from kubernetes.dynamic.exceptions import ConflictError
from kubernetes.stream import stream


def emit(value):
    print(json.dumps(value), flush=True)


def run_list(api, namespace, selector, limit):
    """Pages through a labelled list with limit and _continue, as a paging caller does."""
    pages = []
    token = None
    while True:
        kwargs = {"label_selector": selector, "limit": int(limit)}
        if token:
            kwargs["_continue"] = token
        result = api.list_namespaced_config_map(namespace, **kwargs)
        pages.append({
            "names": [item.metadata.name for item in result.items],
            "remaining": result.metadata.remaining_item_count,
        })
        token = result.metadata._continue
        if not token:
            return {"pages": pages, "resourceVersion": result.metadata.resource_version}


def run_watch(api, namespace, selector, timeout, resource_version, stop_after):
    """Streams events as lines; stops at the DELETED of STOP_AFTER, or when the server ends it."""
    watcher = watch.Watch()
    kwargs = {"label_selector": selector, "timeout_seconds": int(timeout)}
    if resource_version != "-":
        kwargs["resource_version"] = resource_version
    for event in watcher.stream(api.list_namespaced_config_map, namespace, **kwargs):
        item = event["object"]
        emit({
            "type": event["type"],
            "name": item.metadata.name,
            "resourceVersion": item.metadata.resource_version,
            "data": item.data,
        })
        if event["type"] == "DELETED" and item.metadata.name == stop_after:
            watcher.stop()
    emit({"end": True, "resourceVersion": watcher.resource_version})


def run_exec(api, namespace, pod, stdin_text, command):
    ws = stream(
        api.connect_get_namespaced_pod_exec,
        pod,
        namespace,
        command=command,
        stdout=True,
        stderr=True,
        stdin=stdin_text != "-",
        tty=False,
        _preload_content=False,
    )
    if stdin_text != "-":
        ws.write_stdin(stdin_text)
    ws.run_forever(timeout=20)
    emit({"stdout": ws.read_stdout(), "stderr": ws.read_stderr(), "returncode": ws.returncode})


def run_logs(api, namespace, pod, tail_lines):
    emit({"log": api.read_namespaced_pod_log(pod, namespace, tail_lines=int(tail_lines))})


def run_follow(api, namespace, pod, tail_lines, until):
    """Follows the log, printing each line as it arrives, and hangs up once UNTIL has been seen."""
    response = api.read_namespaced_pod_log(
        pod, namespace, follow=True, tail_lines=int(tail_lines), _preload_content=False
    )
    for raw in response.stream(decode_content=False):
        for line in raw.decode("utf-8").splitlines():
            emit({"line": line})
            if line == until:
                response.release_conn()
                return


def run_apply(api_client, namespace, yaml_file):
    """create_from_yaml, then again (AlreadyExists), then the strategic merge patch users apply with."""
    created = utils.create_from_yaml(api_client, yaml_file, namespace=namespace)
    try:
        utils.create_from_yaml(api_client, yaml_file, namespace=namespace)
        again = None
    except utils.FailToCreateError as failure:
        again = [json.loads(error.body)["reason"] for error in failure.api_exceptions]
    apps = client.AppsV1Api(api_client)
    patched = apps.patch_namespaced_deployment(
        "web",
        namespace,
        {"spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}},
    )
    containers = patched.spec.template.spec.containers
    emit({
        "created": [[item.kind for item in group] for group in created],
        "again": again,
        "replicas": patched.spec.replicas,
        "containers": [{"name": c.name, "image": c.image, "ports": len(c.ports or [])} for c in containers],
        "generation": patched.metadata.generation,
    })


def run_server_side_apply(api_client, namespace, name):
    """DynamicClient.server_side_apply as two field managers: create, a conflict, then force_conflicts."""
    configmaps = DynamicClient(api_client).resources.get(api_version="v1", kind="ConfigMap")

    def apply(manager, value, **kwargs):
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"owner": value}}
        # This client sends an apply patch only as text (a dict is refused before the request): JSON is YAML.
        return configmaps.server_side_apply(
            body=json.dumps(body), name=name, namespace=namespace, field_manager=manager, **kwargs
        )

    created = apply("python-first", "first")
    try:
        apply("python-second", "second")
        conflict = None
    except ConflictError as error:
        conflict = json.loads(error.body)
    forced = apply("python-second", "second", force_conflicts=True)
    emit({
        "created": created.data.owner,
        "conflict": {"reason": conflict["reason"], "message": conflict["message"]} if conflict else None,
        "forced": forced.data.owner,
        "managers": [
            {"manager": entry["manager"], "operation": entry["operation"], "fields": entry["fieldsV1"]}
            for entry in forced.to_dict()["metadata"]["managedFields"]
        ],
    })


def main():
    kubeconfig, action, *args = sys.argv[1:]
    config.load_kube_config(config_file=kubeconfig)
    api = client.CoreV1Api()
    try:
        if action == "list":
            emit(run_list(api, *args))
        elif action == "watch":
            run_watch(api, *args)
        elif action == "exec":
            run_exec(api, args[0], args[1], args[2], args[3:])
        elif action == "logs":
            run_logs(api, *args)
        elif action == "follow":
            run_follow(api, *args)
        elif action == "apply":
            run_apply(api.api_client, *args)
        elif action == "server-side-apply":
            run_server_side_apply(api.api_client, *args)
        else:
            raise SystemExit("unknown action " + action)
    except ApiException as error:
        emit({"status": error.status, "body": json.loads(error.body)})


main()
