"""exec and port-forward through the official Kubernetes Python client (kubernetes.stream, on
websocket-client), as a user writes them. Prints one JSON object with what came back.

    python-client.py KUBECONFIG exec NAMESPACE POD COMMAND...
    python-client.py KUBECONFIG port-forward NAMESPACE POD PORT
"""
import json
import sys

from kubernetes import client, config
from kubernetes.stream import portforward, stream


def run_exec(api, namespace, pod, command):
    ws = stream(
        api.connect_get_namespaced_pod_exec,
        pod,
        namespace,
        command=command,
        stdout=True,
        stderr=True,
        stdin=False,
        tty=False,
        _preload_content=False,
    )
    ws.run_forever(timeout=20)
    return {"stdout": ws.read_stdout(), "stderr": ws.read_stderr(), "returncode": ws.returncode}


def run_port_forward(api, namespace, pod, port):
    forward = portforward(api.connect_get_namespaced_pod_portforward, pod, namespace, ports=str(port))
    sock = forward.socket(port)
    sock.settimeout(20)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    received = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        received += chunk
    sock.close()
    return {"response": received.decode("utf-8", "replace"), "error": forward.error(port)}


def main():
    kubeconfig, action, namespace, pod, *rest = sys.argv[1:]
    config.load_kube_config(config_file=kubeconfig)
    api = client.CoreV1Api()
    if action == "exec":
        result = run_exec(api, namespace, pod, rest)
    else:
        result = run_port_forward(api, namespace, pod, int(rest[0]))
    print(json.dumps(result))


main()
