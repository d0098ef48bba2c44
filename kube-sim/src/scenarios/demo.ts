/**
 * The "demo" cluster: three nodes and a small online shop spread over a few namespaces, with the
 * system add-ons a real cluster runs, so every screen and command has something to show.
 */
import type { KubeObject } from '../api/objects.js';
import { namespace, node } from './builders.js';

interface AppSpec {
  namespace: string;
  name: string;
  image: string;
  replicas: number;
  port?: number;
  labels?: Record<string, string>;
  env?: Record<string, string>;
}

function deployment(app: AppSpec): KubeObject {
  const labels = { app: app.name, ...(app.labels ?? {}) };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app.name, namespace: app.namespace, labels },
    spec: {
      replicas: app.replicas,
      selector: { matchLabels: { app: app.name } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: app.name,
              image: app.image,
              ...(app.port ? { ports: [{ containerPort: app.port, name: 'http' }] } : {}),
              ...(app.env ? { env: Object.entries(app.env).map(([name, value]) => ({ name, value })) } : {}),
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
            },
          ],
        },
      },
    },
  };
}

function service(app: AppSpec): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app.name, namespace: app.namespace, labels: { app: app.name } },
    spec: { selector: { app: app.name }, ports: [{ name: 'http', port: 80, targetPort: app.port }] },
  };
}

const APPS: AppSpec[] = [
  {
    namespace: 'kube-system',
    name: 'coredns',
    image: 'registry.k8s.io/coredns/coredns:v1.11.3',
    replicas: 2,
    port: 53,
    labels: { 'k8s-app': 'kube-dns' },
  },
  {
    namespace: 'shop',
    name: 'frontend',
    image: 'nginx:1.27',
    replicas: 3,
    port: 80,
    env: { BACKEND_URL: 'http://api.shop' },
  },
  {
    namespace: 'shop',
    name: 'api',
    image: 'ghcr.io/switchboard-demo/shop-api:2.4.1',
    replicas: 2,
    port: 8080,
    env: { LOG_LEVEL: 'info' },
  },
  { namespace: 'shop', name: 'cart', image: 'redis:7.4', replicas: 1, port: 6379 },
  { namespace: 'monitoring', name: 'prometheus', image: 'prom/prometheus:v2.54.1', replicas: 1, port: 9090 },
];

export function demoObjects(): KubeObject[] {
  const objects: KubeObject[] = [
    node('kube-sim-control-plane', 0, 'control-plane'),
    node('kube-sim-worker', 1),
    node('kube-sim-worker2', 2),
    namespace('shop'),
    namespace('monitoring'),
  ];
  for (const app of APPS) {
    objects.push(deployment(app));
    if (app.port && app.namespace !== 'kube-system') objects.push(service(app));
  }
  objects.push(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'frontend-config', namespace: 'shop' },
      data: {
        'nginx.conf': 'server {\n  listen 80;\n  location /api/ { proxy_pass http://api; }\n}\n',
        THEME: 'dark',
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'api-credentials', namespace: 'shop' },
      type: 'Opaque',
      stringData: { DATABASE_URL: 'postgres://shop@db.shop:5432/shop', API_KEY: 'demo-not-a-real-key' },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'api', namespace: 'shop' },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'shop-reader', namespace: 'shop' },
      rules: [
        {
          apiGroups: ['', 'apps'],
          resources: ['pods', 'pods/log', 'services', 'deployments', 'configmaps'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'shop-readers', namespace: 'shop' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'shop-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'shop-readers' }],
    },
    ...certificates(),
  );
  return objects;
}

/**
 * A custom resource as clusters have them: cert-manager's Certificate definition (its printer
 * columns as cert-manager declares them) and the shop's certificates, so the UI has a Custom
 * Resources group to show. Objects with a `status` get it through the status subresource.
 */
function certificates(): KubeObject[] {
  const ready = (status: 'True' | 'False', message: string) => ({
    conditions: [{ type: 'Ready', status, reason: status === 'True' ? 'Ready' : 'Pending', message }],
  });
  const certificate = (name: string, dnsName: string, status: object): KubeObject => ({
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name, namespace: 'shop' },
    spec: {
      secretName: name,
      dnsNames: [dnsName],
      issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
    },
    status,
  });
  return [
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'certificates.cert-manager.io' },
      spec: {
        group: 'cert-manager.io',
        scope: 'Namespaced',
        names: {
          plural: 'certificates',
          singular: 'certificate',
          kind: 'Certificate',
          listKind: 'CertificateList',
          shortNames: ['cert', 'certs'],
          categories: ['cert-manager'],
        },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            additionalPrinterColumns: [
              { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
              { name: 'Secret', type: 'string', jsonPath: '.spec.secretName' },
              { name: 'Issuer', type: 'string', priority: 1, jsonPath: '.spec.issuerRef.name' },
              {
                name: 'Status',
                type: 'string',
                priority: 1,
                jsonPath: '.status.conditions[?(@.type=="Ready")].message',
              },
              {
                name: 'Age',
                type: 'date',
                description:
                  'CreationTimestamp is a timestamp representing the server time when this object was created.',
                jsonPath: '.metadata.creationTimestamp',
              },
            ],
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
            },
          },
        ],
      },
    },
    certificate(
      'shop-example-tls',
      'shop.example.com',
      ready('True', 'Certificate is up to date and has not expired'),
    ),
    certificate(
      'api-example-tls',
      'api.shop.example.com',
      ready('True', 'Certificate is up to date and has not expired'),
    ),
    certificate(
      'admin-example-tls',
      'admin.shop.example.com',
      ready('False', 'Issuing certificate as Secret does not exist'),
    ),
  ];
}
