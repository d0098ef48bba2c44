/** A service as `kubectl describe service` shows it: type, IPs, ports, selector, endpoints. */
import type { DescribeSection } from '@switchboard/contract/app';
import { type Fields, fields, formatMap, list, num, stringMap, text } from './kube-fields.js';

/** `endpoints` is the Endpoints object of the same name, when there is one (and it could be read). */
export function describeService(service: Fields, endpoints: Fields | undefined): DescribeSection[] {
  const spec = fields(service.spec);
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(String) : [text(spec.clusterIP, '<none>')];
  const external = Array.isArray(spec.externalIPs) ? spec.externalIPs.map(String) : [];
  const ingress = list(fields(fields(service.status).loadBalancer).ingress).map((each) =>
    text(each.ip, text(each.hostname)),
  );
  const addresses = list(endpoints?.subsets).flatMap((subset) => {
    const ports = list(subset.ports).map((port) => num(port.port));
    return list(subset.addresses).flatMap((address) =>
      ports.length === 0 ? [text(address.ip)] : ports.map((port) => `${text(address.ip)}:${port}`),
    );
  });
  return [
    {
      title: 'Service',
      fields: [
        { label: 'Type', value: text(spec.type, 'ClusterIP') },
        { label: 'Cluster IPs', value: ips.join(', ') },
        { label: 'External IPs', value: [...external, ...ingress].join(', ') || '<none>' },
        { label: 'Selector', value: formatMap(stringMap(spec.selector)) },
        { label: 'Session affinity', value: text(spec.sessionAffinity, 'None') },
        {
          label: 'Endpoints',
          value: addresses.join(', ') || '<none>',
          // An Endpoints object with no address: the selector matches no ready pod.
          ...(endpoints !== undefined && addresses.length === 0 && { tone: 'warning' as const }),
        },
      ],
    },
    {
      title: 'Ports',
      table: {
        columns: ['Name', 'Port', 'Target port', 'Protocol', 'Node port'],
        rows: list(spec.ports).map((port) => [
          text(port.name, '<unset>'),
          String(num(port.port) ?? ''),
          String(port.targetPort ?? num(port.port) ?? ''),
          text(port.protocol, 'TCP'),
          num(port.nodePort) === undefined ? '' : String(port.nodePort),
        ]),
      },
    },
  ];
}
