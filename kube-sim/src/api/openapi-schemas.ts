/**
 * GENERATED FILE, do not edit by hand: written by kube-sim/scripts/generate-openapi-schemas.mjs.
 * Regenerate with `npm run generate:openapi -w @switchboard/kube-sim` (from the repository root).
 *
 * The schemas kube-sim publishes in OpenAPI v3, for every kind it serves and everything those reach,
 * from the @kubernetes/client-node 1.4.0 models, which carry the Kubernetes 1.34 field names, types,
 * formats, required fields and descriptions; the list and patch extensions (`x-kubernetes-patch-merge-key`
 * and friends), which those models drop, come from the Go struct tags of k8s.io/api, because kubectl
 * builds strategic merge patches from them.
 *
 * A property is `[type, description, extensions?]`. Types: `string`, `string:byte`, `integer:int32`,
 * `integer:int64`, `number:double`, `boolean`, `object` (free-form), `#<schema name>` (a
 * reference), `[]<type>` (array of), `{}<type>` (map of string to).
 */

export type PropertyDef = [type: string, description: string, extensions?: Record<string, unknown>];

export interface TypeDef {
  description: string;
  properties: Record<string, PropertyDef>;
  required?: string[];
  extensions?: Record<string, unknown>;
}

/** Types the apiserver publishes as plain schemas (no properties) though Go implements them specially. */
export const SCALAR_SCHEMAS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': {
    description:
      'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.',
    schema: { type: 'string', format: 'date-time' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': {
    description: 'MicroTime is version of Time with microsecond level precision.',
    schema: { type: 'string', format: 'date-time' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': {
    description:
      "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\nEach key is either a '.' representing the field itself, and will always map to an empty set, or a string representing a sub-field or item. The string will follow one of these four formats: 'f:<name>', where <name> is the name of a field in a struct, or key in a map 'v:<value>', where <value> is the exact json formatted value of a list item 'i:<index>', where <index> is integer index of a list item 'k:<keys>', where <keys> is a map of  a list item's key fields to their unique values If a key maps to an empty Fields value, the field that key represents is part of the set.\n\nThe exact format is defined in sigs.k8s.io/structured-merge-diff",
    schema: { type: 'object' },
  },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    description:
      'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    schema: { type: 'string', format: 'int-or-string' },
  },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': {
    description: 'RawExtension is used to hold extensions in external versions.',
    schema: { type: 'object' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch': {
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    schema: { type: 'object' },
  },
};

export const TYPE_DEFS: Record<string, TypeDef> = {
  // The definition's spec and status are left unpublished (free-form): kube-sim checks only
  // what it needs to serve a definition (custom-resources.ts).
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition': {
    description:
      'CustomResourceDefinition represents a resource that should be exposed on the API server.  Its name MUST be in the format <.spec.name>.<.spec.group>.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: [
        'object',
        'spec describes how the user wants the resources to appear',
        { 'x-kubernetes-preserve-unknown-fields': true },
      ],
      status: [
        'object',
        'status indicates the actual state of the CustomResourceDefinition',
        { 'x-kubernetes-preserve-unknown-fields': true },
      ],
    },
    required: ['spec'],
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionList': {
    description: 'CustomResourceDefinitionList is a list of CustomResourceDefinition objects.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: [
        '[]#io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
        'items list individual CustomResourceDefinition objects',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        "Standard object's metadata More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.apps.v1.Deployment': {
    description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.apps.v1.DeploymentSpec', ''],
      status: ['#io.k8s.api.apps.v1.DeploymentStatus', ''],
    },
  },
  'io.k8s.api.apps.v1.DeploymentCondition': {
    description: 'DeploymentCondition describes the state of a deployment at a certain point.',
    properties: {
      lastTransitionTime: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'Last time the condition transitioned from one status to another.',
      ],
      lastUpdateTime: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'The last time this condition was updated.',
      ],
      message: ['string', 'A human readable message indicating details about the transition.'],
      reason: ['string', "The reason for the condition's last transition."],
      status: ['string', 'Status of the condition, one of True, False, Unknown.'],
      type: ['string', 'Type of deployment condition.'],
    },
    required: ['status', 'type'],
  },
  'io.k8s.api.apps.v1.DeploymentList': {
    description: 'DeploymentList is a list of Deployments.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: ['[]#io.k8s.api.apps.v1.Deployment', 'Items is the list of Deployments.'],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    description: 'DeploymentSpec is the specification of the desired behavior of the Deployment.',
    properties: {
      minReadySeconds: [
        'integer:int32',
        'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)',
      ],
      paused: ['boolean', 'Indicates that the deployment is paused.'],
      progressDeadlineSeconds: [
        'integer:int32',
        'The maximum time in seconds for a deployment to make progress before it is considered to be failed. The deployment controller will continue to process failed deployments and a condition with a ProgressDeadlineExceeded reason will be surfaced in the deployment status. Note that progress will not be estimated during the time a deployment is paused. Defaults to 600s.',
      ],
      replicas: [
        'integer:int32',
        'Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.',
      ],
      revisionHistoryLimit: [
        'integer:int32',
        'The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.',
      ],
      selector: ['#io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', ''],
      strategy: [
        '#io.k8s.api.apps.v1.DeploymentStrategy',
        '',
        { 'x-kubernetes-patch-strategy': 'retainKeys' },
      ],
      template: ['#io.k8s.api.core.v1.PodTemplateSpec', ''],
    },
    required: ['selector', 'template'],
  },
  'io.k8s.api.apps.v1.DeploymentStatus': {
    description: 'DeploymentStatus is the most recently observed status of the Deployment.',
    properties: {
      availableReplicas: [
        'integer:int32',
        'Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.',
      ],
      collisionCount: [
        'integer:int32',
        'Count of hash collisions for the Deployment. The Deployment controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ReplicaSet.',
      ],
      conditions: [
        '[]#io.k8s.api.apps.v1.DeploymentCondition',
        "Represents the latest available observations of a deployment's current state.",
        {
          'x-kubernetes-list-map-keys': ['type'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'type',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      observedGeneration: ['integer:int64', 'The generation observed by the deployment controller.'],
      readyReplicas: [
        'integer:int32',
        'Total number of non-terminating pods targeted by this Deployment with a Ready Condition.',
      ],
      replicas: [
        'integer:int32',
        'Total number of non-terminating pods targeted by this deployment (their labels match the selector).',
      ],
      terminatingReplicas: [
        'integer:int32',
        'Total number of terminating pods targeted by this deployment. Terminating pods have a non-null .metadata.deletionTimestamp and have not yet reached the Failed or Succeeded .status.phase.  This is an alpha field. Enable DeploymentReplicaSetTerminatingReplicas to be able to use this field.',
      ],
      unavailableReplicas: [
        'integer:int32',
        'Total number of unavailable pods targeted by this deployment. This is the total number of pods that are still required for the deployment to have 100% available capacity. They may either be pods that are running but not yet available or pods that still have not been created.',
      ],
      updatedReplicas: [
        'integer:int32',
        'Total number of non-terminating pods targeted by this deployment that have the desired template spec.',
      ],
    },
  },
  'io.k8s.api.apps.v1.DeploymentStrategy': {
    description: 'DeploymentStrategy describes how to replace existing pods with new ones.',
    properties: {
      rollingUpdate: ['#io.k8s.api.apps.v1.RollingUpdateDeployment', ''],
      type: ['string', 'Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.'],
    },
  },
  'io.k8s.api.apps.v1.ReplicaSet': {
    description: 'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.apps.v1.ReplicaSetSpec', ''],
      status: ['#io.k8s.api.apps.v1.ReplicaSetStatus', ''],
    },
  },
  'io.k8s.api.apps.v1.ReplicaSetCondition': {
    description: 'ReplicaSetCondition describes the state of a replica set at a certain point.',
    properties: {
      lastTransitionTime: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'The last time the condition transitioned from one status to another.',
      ],
      message: ['string', 'A human readable message indicating details about the transition.'],
      reason: ['string', "The reason for the condition's last transition."],
      status: ['string', 'Status of the condition, one of True, False, Unknown.'],
      type: ['string', 'Type of replica set condition.'],
    },
    required: ['status', 'type'],
  },
  'io.k8s.api.apps.v1.ReplicaSetList': {
    description: 'ReplicaSetList is a collection of ReplicaSets.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: [
        '[]#io.k8s.api.apps.v1.ReplicaSet',
        'List of ReplicaSets. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.apps.v1.ReplicaSetSpec': {
    description: 'ReplicaSetSpec is the specification of a ReplicaSet.',
    properties: {
      minReadySeconds: [
        'integer:int32',
        'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)',
      ],
      replicas: [
        'integer:int32',
        'Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset',
      ],
      selector: ['#io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', ''],
      template: ['#io.k8s.api.core.v1.PodTemplateSpec', ''],
    },
    required: ['selector'],
  },
  'io.k8s.api.apps.v1.ReplicaSetStatus': {
    description: 'ReplicaSetStatus represents the current status of a ReplicaSet.',
    properties: {
      availableReplicas: [
        'integer:int32',
        'The number of available non-terminating pods (ready for at least minReadySeconds) for this replica set.',
      ],
      conditions: [
        '[]#io.k8s.api.apps.v1.ReplicaSetCondition',
        "Represents the latest available observations of a replica set's current state.",
        {
          'x-kubernetes-list-map-keys': ['type'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'type',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      fullyLabeledReplicas: [
        'integer:int32',
        'The number of non-terminating pods that have labels matching the labels of the pod template of the replicaset.',
      ],
      observedGeneration: [
        'integer:int64',
        'ObservedGeneration reflects the generation of the most recently observed ReplicaSet.',
      ],
      readyReplicas: [
        'integer:int32',
        'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.',
      ],
      replicas: [
        'integer:int32',
        'Replicas is the most recently observed number of non-terminating pods. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset',
      ],
      terminatingReplicas: [
        'integer:int32',
        'The number of terminating pods for this replica set. Terminating pods have a non-null .metadata.deletionTimestamp and have not yet reached the Failed or Succeeded .status.phase.  This is an alpha field. Enable DeploymentReplicaSetTerminatingReplicas to be able to use this field.',
      ],
    },
    required: ['replicas'],
  },
  'io.k8s.api.apps.v1.RollingUpdateDeployment': {
    description: 'Spec to control the desired behavior of rolling update.',
    properties: {
      maxSurge: [
        '#io.k8s.apimachinery.pkg.util.intstr.IntOrString',
        'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
      ],
      maxUnavailable: [
        '#io.k8s.apimachinery.pkg.util.intstr.IntOrString',
        'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
      ],
    },
  },
  'io.k8s.api.authentication.v1.BoundObjectReference': {
    description: 'BoundObjectReference is a reference to an object that a token is bound to.',
    properties: {
      apiVersion: ['string', 'API version of the referent.'],
      kind: ['string', "Kind of the referent. Valid kinds are 'Pod' and 'Secret'."],
      name: ['string', 'Name of the referent.'],
      uid: ['string', 'UID of the referent.'],
    },
  },
  'io.k8s.api.authentication.v1.SelfSubjectReview': {
    description:
      'SelfSubjectReview contains the user information that the kube-apiserver has about the user making this request. When using impersonation, users will receive the user info of the user being impersonated.  If impersonation or request header authentication is used, any extra keys will have their case ignored and returned as lowercase.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      status: ['#io.k8s.api.authentication.v1.SelfSubjectReviewStatus', ''],
    },
  },
  'io.k8s.api.authentication.v1.SelfSubjectReviewStatus': {
    description: 'SelfSubjectReviewStatus is filled by the kube-apiserver and sent back to a user.',
    properties: { userInfo: ['#io.k8s.api.authentication.v1.UserInfo', ''] },
  },
  'io.k8s.api.authentication.v1.TokenRequest': {
    description: 'TokenRequest requests a token for a given service account.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.authentication.v1.TokenRequestSpec', ''],
      status: ['#io.k8s.api.authentication.v1.TokenRequestStatus', ''],
    },
    required: ['spec'],
  },
  'io.k8s.api.authentication.v1.TokenRequestSpec': {
    description: 'TokenRequestSpec contains client provided parameters of a token request.',
    properties: {
      audiences: [
        '[]string',
        'Audiences are the intendend audiences of the token. A recipient of a token must identify themself with an identifier in the list of audiences of the token, and otherwise should reject the token. A token issued for multiple audiences may be used to authenticate against any of the audiences listed but implies a high degree of trust between the target audiences.',
      ],
      boundObjectRef: ['#io.k8s.api.authentication.v1.BoundObjectReference', ''],
      expirationSeconds: [
        'integer:int64',
        "ExpirationSeconds is the requested duration of validity of the request. The token issuer may return a token with a different validity duration so a client needs to check the 'expiration' field in a response.",
      ],
    },
    required: ['audiences'],
  },
  'io.k8s.api.authentication.v1.TokenRequestStatus': {
    description: 'TokenRequestStatus is the result of a token request.',
    properties: {
      expirationTimestamp: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'ExpirationTimestamp is the time of expiration of the returned token.',
      ],
      token: ['string', 'Token is the opaque bearer token.'],
    },
    required: ['expirationTimestamp', 'token'],
  },
  'io.k8s.api.authentication.v1.TokenReview': {
    description:
      'TokenReview attempts to authenticate a token to a known user. Note: TokenReview requests may be cached by the webhook token authenticator plugin in the kube-apiserver.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.authentication.v1.TokenReviewSpec', ''],
      status: ['#io.k8s.api.authentication.v1.TokenReviewStatus', ''],
    },
    required: ['spec'],
  },
  'io.k8s.api.authentication.v1.TokenReviewSpec': {
    description: 'TokenReviewSpec is a description of the token authentication request.',
    properties: {
      audiences: [
        '[]string',
        'Audiences is a list of the identifiers that the resource server presented with the token identifies as. Audience-aware token authenticators will verify that the token was intended for at least one of the audiences in this list. If no audiences are provided, the audience will default to the audience of the Kubernetes apiserver.',
      ],
      token: ['string', 'Token is the opaque bearer token.'],
    },
  },
  'io.k8s.api.authentication.v1.TokenReviewStatus': {
    description: 'TokenReviewStatus is the result of the token authentication request.',
    properties: {
      audiences: [
        '[]string',
        'Audiences are audience identifiers chosen by the authenticator that are compatible with both the TokenReview and token. An identifier is any identifier in the intersection of the TokenReviewSpec audiences and the token\'s audiences. A client of the TokenReview API that sets the spec.audiences field should validate that a compatible audience identifier is returned in the status.audiences field to ensure that the TokenReview server is audience aware. If a TokenReview returns an empty status.audience field where status.authenticated is "true", the token is valid against the audience of the Kubernetes API server.',
      ],
      authenticated: ['boolean', 'Authenticated indicates that the token was associated with a known user.'],
      error: ['string', "Error indicates that the token couldn't be checked"],
      user: ['#io.k8s.api.authentication.v1.UserInfo', ''],
    },
  },
  'io.k8s.api.authentication.v1.UserInfo': {
    description: 'UserInfo holds the information about the user needed to implement the user.Info interface.',
    properties: {
      extra: ['{}[]string', 'Any additional information provided by the authenticator.'],
      groups: ['[]string', 'The names of groups this user is a part of.'],
      uid: [
        'string',
        'A unique value that identifies this user across time. If this user is deleted and another user by the same name is added, they will have different UIDs.',
      ],
      username: ['string', 'The name that uniquely identifies this user among all active users.'],
    },
  },
  'io.k8s.api.authentication.v1beta1.SelfSubjectReview': {
    description:
      'SelfSubjectReview contains the user information that the kube-apiserver has about the user making this request. When using impersonation, users will receive the user info of the user being impersonated.  If impersonation or request header authentication is used, any extra keys will have their case ignored and returned as lowercase.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      status: ['#io.k8s.api.authentication.v1beta1.SelfSubjectReviewStatus', ''],
    },
  },
  'io.k8s.api.authentication.v1beta1.SelfSubjectReviewStatus': {
    description: 'SelfSubjectReviewStatus is filled by the kube-apiserver and sent back to a user.',
    properties: { userInfo: ['#io.k8s.api.authentication.v1.UserInfo', ''] },
  },
  'io.k8s.api.authorization.v1.FieldSelectorAttributes': {
    description:
      'FieldSelectorAttributes indicates a field limited access. Webhook authors are encouraged to * ensure rawSelector and requirements are not both set * consider the requirements field if set * not try to parse or consider the rawSelector field if set. This is to avoid another CVE-2022-2880 (i.e. getting different systems to agree on how exactly to parse a query is not something we want), see https://www.oxeye.io/resources/golang-parameter-smuggling-attack for more details. For the *SubjectAccessReview endpoints of the kube-apiserver: * If rawSelector is empty and requirements are empty, the request is not limited. * If rawSelector is present and requirements are empty, the rawSelector will be parsed and limited if the parsing succeeds. * If rawSelector is empty and requirements are present, the requirements should be honored * If rawSelector is present and requirements are present, the request is invalid.',
    properties: {
      rawSelector: [
        'string',
        "rawSelector is the serialization of a field selector that would be included in a query parameter. Webhook implementations are encouraged to ignore rawSelector. The kube-apiserver's *SubjectAccessReview will parse the rawSelector as long as the requirements are not present.",
      ],
      requirements: [
        '[]#io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement',
        'requirements is the parsed interpretation of a field selector. All requirements must be met for a resource instance to match the selector. Webhook implementations should handle requirements, but how to handle them is up to the webhook. Since requirements can only limit the request, it is safe to authorize as unlimited request if the requirements are not understood.',
      ],
    },
  },
  'io.k8s.api.authorization.v1.LabelSelectorAttributes': {
    description:
      'LabelSelectorAttributes indicates a label limited access. Webhook authors are encouraged to * ensure rawSelector and requirements are not both set * consider the requirements field if set * not try to parse or consider the rawSelector field if set. This is to avoid another CVE-2022-2880 (i.e. getting different systems to agree on how exactly to parse a query is not something we want), see https://www.oxeye.io/resources/golang-parameter-smuggling-attack for more details. For the *SubjectAccessReview endpoints of the kube-apiserver: * If rawSelector is empty and requirements are empty, the request is not limited. * If rawSelector is present and requirements are empty, the rawSelector will be parsed and limited if the parsing succeeds. * If rawSelector is empty and requirements are present, the requirements should be honored * If rawSelector is present and requirements are present, the request is invalid.',
    properties: {
      rawSelector: [
        'string',
        "rawSelector is the serialization of a field selector that would be included in a query parameter. Webhook implementations are encouraged to ignore rawSelector. The kube-apiserver's *SubjectAccessReview will parse the rawSelector as long as the requirements are not present.",
      ],
      requirements: [
        '[]#io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement',
        'requirements is the parsed interpretation of a label selector. All requirements must be met for a resource instance to match the selector. Webhook implementations should handle requirements, but how to handle them is up to the webhook. Since requirements can only limit the request, it is safe to authorize as unlimited request if the requirements are not understood.',
      ],
    },
  },
  'io.k8s.api.authorization.v1.NonResourceAttributes': {
    description:
      'NonResourceAttributes includes the authorization attributes available for non-resource requests to the Authorizer interface',
    properties: {
      path: ['string', 'Path is the URL path of the request'],
      verb: ['string', 'Verb is the standard HTTP verb'],
    },
  },
  'io.k8s.api.authorization.v1.NonResourceRule': {
    description: 'NonResourceRule holds information that describes a rule for the non-resource',
    properties: {
      nonResourceURLs: [
        '[]string',
        'NonResourceURLs is a set of partial urls that a user should have access to.  *s are allowed, but only as the full, final step in the path.  "*" means all.',
      ],
      verbs: [
        '[]string',
        'Verb is a list of kubernetes non-resource API verbs, like: get, post, put, delete, patch, head, options.  "*" means all.',
      ],
    },
    required: ['verbs'],
  },
  'io.k8s.api.authorization.v1.ResourceAttributes': {
    description:
      'ResourceAttributes includes the authorization attributes available for resource requests to the Authorizer interface',
    properties: {
      fieldSelector: ['#io.k8s.api.authorization.v1.FieldSelectorAttributes', ''],
      group: ['string', 'Group is the API Group of the Resource.  "*" means all.'],
      labelSelector: ['#io.k8s.api.authorization.v1.LabelSelectorAttributes', ''],
      name: [
        'string',
        'Name is the name of the resource being requested for a "get" or deleted for a "delete". "" (empty) means all.',
      ],
      namespace: [
        'string',
        'Namespace is the namespace of the action being requested.  Currently, there is no distinction between no namespace and all namespaces "" (empty) is defaulted for LocalSubjectAccessReviews "" (empty) is empty for cluster-scoped resources "" (empty) means "all" for namespace scoped resources from a SubjectAccessReview or SelfSubjectAccessReview',
      ],
      resource: ['string', 'Resource is one of the existing resource types.  "*" means all.'],
      subresource: ['string', 'Subresource is one of the existing resource types.  "" means none.'],
      verb: [
        'string',
        'Verb is a kubernetes resource API verb, like: get, list, watch, create, update, delete, proxy.  "*" means all.',
      ],
      version: ['string', 'Version is the API Version of the Resource.  "*" means all.'],
    },
  },
  'io.k8s.api.authorization.v1.ResourceRule': {
    description:
      "ResourceRule is the list of actions the subject is allowed to perform on resources. The list ordering isn't significant, may contain duplicates, and possibly be incomplete.",
    properties: {
      apiGroups: [
        '[]string',
        'APIGroups is the name of the APIGroup that contains the resources.  If multiple API groups are specified, any action requested against one of the enumerated resources in any API group will be allowed.  "*" means all.',
      ],
      resourceNames: [
        '[]string',
        'ResourceNames is an optional white list of names that the rule applies to.  An empty set means that everything is allowed.  "*" means all.',
      ],
      resources: [
        '[]string',
        'Resources is a list of resources this rule applies to.  "*" means all in the specified apiGroups.  "*_/foo" represents the subresource \'foo\' for all resources in the specified apiGroups.',
      ],
      verbs: [
        '[]string',
        'Verb is a list of kubernetes resource API verbs, like: get, list, watch, create, update, delete, proxy.  "*" means all.',
      ],
    },
    required: ['verbs'],
  },
  'io.k8s.api.authorization.v1.SelfSubjectAccessReview': {
    description:
      'SelfSubjectAccessReview checks whether or the current user can perform an action.  Not filling in a spec.namespace means "in all namespaces".  Self is a special case, because users should always be able to check whether they can perform an action',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec', ''],
      status: ['#io.k8s.api.authorization.v1.SubjectAccessReviewStatus', ''],
    },
    required: ['spec'],
  },
  'io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec': {
    description:
      'SelfSubjectAccessReviewSpec is a description of the access request.  Exactly one of ResourceAuthorizationAttributes and NonResourceAuthorizationAttributes must be set',
    properties: {
      nonResourceAttributes: ['#io.k8s.api.authorization.v1.NonResourceAttributes', ''],
      resourceAttributes: ['#io.k8s.api.authorization.v1.ResourceAttributes', ''],
    },
  },
  'io.k8s.api.authorization.v1.SelfSubjectRulesReview': {
    description:
      "SelfSubjectRulesReview enumerates the set of actions the current user can perform within a namespace. The returned list of actions may be incomplete depending on the server's authorization mode, and any errors experienced during the evaluation. SelfSubjectRulesReview should be used by UIs to show/hide actions, or to quickly let an end user reason about their permissions. It should NOT Be used by external systems to drive authorization decisions as this raises confused deputy, cache lifetime/revocation, and correctness concerns. SubjectAccessReview, and LocalAccessReview are the correct way to defer authorization decisions to the API server.",
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.authorization.v1.SelfSubjectRulesReviewSpec', ''],
      status: ['#io.k8s.api.authorization.v1.SubjectRulesReviewStatus', ''],
    },
    required: ['spec'],
  },
  'io.k8s.api.authorization.v1.SelfSubjectRulesReviewSpec': {
    description: 'SelfSubjectRulesReviewSpec defines the specification for SelfSubjectRulesReview.',
    properties: { namespace: ['string', 'Namespace to evaluate rules for. Required.'] },
  },
  'io.k8s.api.authorization.v1.SubjectAccessReview': {
    description: 'SubjectAccessReview checks whether or not a user or group can perform an action.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.authorization.v1.SubjectAccessReviewSpec', ''],
      status: ['#io.k8s.api.authorization.v1.SubjectAccessReviewStatus', ''],
    },
    required: ['spec'],
  },
  'io.k8s.api.authorization.v1.SubjectAccessReviewSpec': {
    description:
      'SubjectAccessReviewSpec is a description of the access request.  Exactly one of ResourceAuthorizationAttributes and NonResourceAuthorizationAttributes must be set',
    properties: {
      extra: [
        '{}[]string',
        'Extra corresponds to the user.Info.GetExtra() method from the authenticator.  Since that is input to the authorizer it needs a reflection here.',
      ],
      groups: ['[]string', "Groups is the groups you're testing for."],
      nonResourceAttributes: ['#io.k8s.api.authorization.v1.NonResourceAttributes', ''],
      resourceAttributes: ['#io.k8s.api.authorization.v1.ResourceAttributes', ''],
      uid: ['string', 'UID information about the requesting user.'],
      user: [
        'string',
        'User is the user you\'re testing for. If you specify "User" but not "Groups", then is it interpreted as "What if User were not a member of any groups',
      ],
    },
  },
  'io.k8s.api.authorization.v1.SubjectAccessReviewStatus': {
    description: 'SubjectAccessReviewStatus',
    properties: {
      allowed: ['boolean', 'Allowed is required. True if the action would be allowed, false otherwise.'],
      denied: [
        'boolean',
        'Denied is optional. True if the action would be denied, otherwise false. If both allowed is false and denied is false, then the authorizer has no opinion on whether to authorize the action. Denied may not be true if Allowed is true.',
      ],
      evaluationError: [
        'string',
        'EvaluationError is an indication that some error occurred during the authorization check. It is entirely possible to get an error and be able to continue determine authorization status in spite of it. For instance, RBAC can be missing a role, but enough roles are still present and bound to reason about the request.',
      ],
      reason: ['string', 'Reason is optional.  It indicates why a request was allowed or denied.'],
    },
    required: ['allowed'],
  },
  'io.k8s.api.authorization.v1.SubjectRulesReviewStatus': {
    description:
      "SubjectRulesReviewStatus contains the result of a rules check. This check can be incomplete depending on the set of authorizers the server is configured with and any errors experienced during evaluation. Because authorization rules are additive, if a rule appears in a list it's safe to assume the subject has that permission, even if that list is incomplete.",
    properties: {
      evaluationError: [
        'string',
        "EvaluationError can appear in combination with Rules. It indicates an error occurred during rule evaluation, such as an authorizer that doesn't support rule evaluation, and that ResourceRules and/or NonResourceRules may be incomplete.",
      ],
      incomplete: [
        'boolean',
        "Incomplete is true when the rules returned by this call are incomplete. This is most commonly encountered when an authorizer, such as an external authorizer, doesn't support rules evaluation.",
      ],
      nonResourceRules: [
        '[]#io.k8s.api.authorization.v1.NonResourceRule',
        "NonResourceRules is the list of actions the subject is allowed to perform on non-resources. The list ordering isn't significant, may contain duplicates, and possibly be incomplete.",
      ],
      resourceRules: [
        '[]#io.k8s.api.authorization.v1.ResourceRule',
        "ResourceRules is the list of actions the subject is allowed to perform on resources. The list ordering isn't significant, may contain duplicates, and possibly be incomplete.",
      ],
    },
    required: ['incomplete', 'nonResourceRules', 'resourceRules'],
  },
  'io.k8s.api.autoscaling.v1.Scale': {
    description: 'Scale represents a scaling request for a resource.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.autoscaling.v1.ScaleSpec', ''],
      status: ['#io.k8s.api.autoscaling.v1.ScaleStatus', ''],
    },
  },
  'io.k8s.api.autoscaling.v1.ScaleSpec': {
    description: 'ScaleSpec describes the attributes of a scale subresource.',
    properties: {
      replicas: ['integer:int32', 'replicas is the desired number of instances for the scaled object.'],
    },
  },
  'io.k8s.api.autoscaling.v1.ScaleStatus': {
    description: 'ScaleStatus represents the current status of a scale subresource.',
    properties: {
      replicas: [
        'integer:int32',
        'replicas is the actual number of observed instances of the scaled object.',
      ],
      selector: [
        'string',
        'selector is the label query over pods that should match the replicas count. This is same as the label selector but in the string format to avoid introspection by clients. The string will be in the same format as the query-param syntax. More info about label selectors: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/',
      ],
    },
    required: ['replicas'],
  },
  'io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource': {
    description:
      'Represents a Persistent Disk resource in AWS.  An AWS EBS disk must exist before mounting to a container. The disk must also be in the same AWS zone as the kubelet. An AWS EBS disk can only be mounted as read/write once. AWS EBS volumes support ownership management and SELinux relabeling.',
    properties: {
      fsType: [
        'string',
        'fsType is the filesystem type of the volume that you want to mount. Tip: Ensure that the filesystem type is supported by the host operating system. Examples: "ext4", "xfs", "ntfs". Implicitly inferred to be "ext4" if unspecified. More info: https://kubernetes.io/docs/concepts/storage/volumes#awselasticblockstore',
      ],
      partition: [
        'integer:int32',
        'partition is the partition in the volume that you want to mount. If omitted, the default is to mount by volume name. Examples: For volume /dev/sda1, you specify the partition as "1". Similarly, the volume partition for /dev/sda is "0" (or you can leave the property empty).',
      ],
      readOnly: [
        'boolean',
        'readOnly value true will force the readOnly setting in VolumeMounts. More info: https://kubernetes.io/docs/concepts/storage/volumes#awselasticblockstore',
      ],
      volumeID: [
        'string',
        'volumeID is unique ID of the persistent disk resource in AWS (Amazon EBS volume). More info: https://kubernetes.io/docs/concepts/storage/volumes#awselasticblockstore',
      ],
    },
    required: ['volumeID'],
  },
  'io.k8s.api.core.v1.Affinity': {
    description: 'Affinity is a group of affinity scheduling rules.',
    properties: {
      nodeAffinity: ['#io.k8s.api.core.v1.NodeAffinity', ''],
      podAffinity: ['#io.k8s.api.core.v1.PodAffinity', ''],
      podAntiAffinity: ['#io.k8s.api.core.v1.PodAntiAffinity', ''],
    },
  },
  'io.k8s.api.core.v1.AppArmorProfile': {
    description: "AppArmorProfile defines a pod or container's AppArmor settings.",
    properties: {
      localhostProfile: [
        'string',
        'localhostProfile indicates a profile loaded on the node that should be used. The profile must be preconfigured on the node to work. Must match the loaded name of the profile. Must be set if and only if type is "Localhost".',
      ],
      type: [
        'string',
        "type indicates which kind of AppArmor profile will be applied. Valid options are:   Localhost - a profile pre-loaded on the node.   RuntimeDefault - the container runtime's default profile.   Unconfined - no AppArmor enforcement.",
      ],
    },
    required: ['type'],
  },
  'io.k8s.api.core.v1.AttachedVolume': {
    description: 'AttachedVolume describes a volume attached to a node',
    properties: {
      devicePath: ['string', 'DevicePath represents the device path where the volume should be available'],
      name: ['string', 'Name of the attached volume'],
    },
    required: ['devicePath', 'name'],
  },
  'io.k8s.api.core.v1.AzureDiskVolumeSource': {
    description: 'AzureDisk represents an Azure Data Disk mount on the host and bind mount to the pod.',
    properties: {
      cachingMode: ['string', 'cachingMode is the Host Caching mode: None, Read Only, Read Write.'],
      diskName: ['string', 'diskName is the Name of the data disk in the blob storage'],
      diskURI: ['string', 'diskURI is the URI of data disk in the blob storage'],
      fsType: [
        'string',
        'fsType is Filesystem type to mount. Must be a filesystem type supported by the host operating system. Ex. "ext4", "xfs", "ntfs". Implicitly inferred to be "ext4" if unspecified.',
      ],
      kind: [
        'string',
        'kind expected values are Shared: multiple blob disks per storage account  Dedicated: single blob disk per storage account  Managed: azure managed data disk (only in managed availability set). defaults to shared',
      ],
      readOnly: [
        'boolean',
        'readOnly Defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ],
    },
    required: ['diskName', 'diskURI'],
  },
  'io.k8s.api.core.v1.AzureFileVolumeSource': {
    description: 'AzureFile represents an Azure File Service mount on the host and bind mount to the pod.',
    properties: {
      readOnly: [
        'boolean',
        'readOnly defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ],
      secretName: [
        'string',
        'secretName is the  name of secret that contains Azure Storage Account Name and Key',
      ],
      shareName: ['string', 'shareName is the azure share Name'],
    },
    required: ['secretName', 'shareName'],
  },
  'io.k8s.api.core.v1.Binding': {
    description: 'Binding ties one object to another; for example, a pod is bound to a node by a scheduler.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      target: ['#io.k8s.api.core.v1.ObjectReference', ''],
    },
    required: ['target'],
  },
  'io.k8s.api.core.v1.CSIVolumeSource': {
    description: 'Represents a source location of a volume to mount, managed by an external CSI driver',
    properties: {
      driver: [
        'string',
        'driver is the name of the CSI driver that handles this volume. Consult with your admin for the correct name as registered in the cluster.',
      ],
      fsType: [
        'string',
        'fsType to mount. Ex. "ext4", "xfs", "ntfs". If not provided, the empty value is passed to the associated CSI driver which will determine the default filesystem to apply.',
      ],
      nodePublishSecretRef: ['#io.k8s.api.core.v1.LocalObjectReference', ''],
      readOnly: [
        'boolean',
        'readOnly specifies a read-only configuration for the volume. Defaults to false (read/write).',
      ],
      volumeAttributes: [
        '{}string',
        "volumeAttributes stores driver-specific properties that are passed to the CSI driver. Consult your driver's documentation for supported values.",
      ],
    },
    required: ['driver'],
  },
  'io.k8s.api.core.v1.Capabilities': {
    description: 'Adds and removes POSIX capabilities from running containers.',
    properties: {
      add: ['[]string', 'Added capabilities', { 'x-kubernetes-list-type': 'atomic' }],
      drop: ['[]string', 'Removed capabilities', { 'x-kubernetes-list-type': 'atomic' }],
    },
  },
  'io.k8s.api.core.v1.CephFSVolumeSource': {
    description:
      'Represents a Ceph Filesystem mount that lasts the lifetime of a pod Cephfs volumes do not support ownership management or SELinux relabeling.',
    properties: {
      monitors: [
        '[]string',
        'monitors is Required: Monitors is a collection of Ceph monitors More info: https://examples.k8s.io/volumes/cephfs/README.md#how-to-use-it',
      ],
      path: [
        'string',
        'path is Optional: Used as the mounted root, rather than the full Ceph tree, default is /',
      ],
      readOnly: [
        'boolean',
        'readOnly is Optional: Defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts. More info: https://examples.k8s.io/volumes/cephfs/README.md#how-to-use-it',
      ],
      secretFile: [
        'string',
        'secretFile is Optional: SecretFile is the path to key ring for User, default is /etc/ceph/user.secret More info: https://examples.k8s.io/volumes/cephfs/README.md#how-to-use-it',
      ],
      secretRef: ['#io.k8s.api.core.v1.LocalObjectReference', ''],
      user: [
        'string',
        'user is optional: User is the rados user name, default is admin More info: https://examples.k8s.io/volumes/cephfs/README.md#how-to-use-it',
      ],
    },
    required: ['monitors'],
  },
  'io.k8s.api.core.v1.CinderVolumeSource': {
    description:
      'Represents a cinder volume resource in Openstack. A Cinder volume must exist before mounting to a container. The volume must also be in the same region as the kubelet. Cinder volumes support ownership management and SELinux relabeling.',
    properties: {
      fsType: [
        'string',
        'fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system. Examples: "ext4", "xfs", "ntfs". Implicitly inferred to be "ext4" if unspecified. More info: https://examples.k8s.io/mysql-cinder-pd/README.md',
      ],
      readOnly: [
        'boolean',
        'readOnly defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts. More info: https://examples.k8s.io/mysql-cinder-pd/README.md',
      ],
      secretRef: ['#io.k8s.api.core.v1.LocalObjectReference', ''],
      volumeID: [
        'string',
        'volumeID used to identify the volume in cinder. More info: https://examples.k8s.io/mysql-cinder-pd/README.md',
      ],
    },
    required: ['volumeID'],
  },
  'io.k8s.api.core.v1.ClientIPConfig': {
    description: 'ClientIPConfig represents the configurations of Client IP based session affinity.',
    properties: {
      timeoutSeconds: [
        'integer:int32',
        'timeoutSeconds specifies the seconds of ClientIP type session sticky time. The value must be >0 && <=86400(for 1 day) if ServiceAffinity == "ClientIP". Default value is 10800(for 3 hours).',
      ],
    },
  },
  'io.k8s.api.core.v1.ClusterTrustBundleProjection': {
    description:
      'ClusterTrustBundleProjection describes how to select a set of ClusterTrustBundle objects and project their contents into the pod filesystem.',
    properties: {
      labelSelector: ['#io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', ''],
      name: [
        'string',
        'Select a single ClusterTrustBundle by object name.  Mutually-exclusive with signerName and labelSelector.',
      ],
      optional: [
        'boolean',
        "If true, don't block pod startup if the referenced ClusterTrustBundle(s) aren't available.  If using name, then the named ClusterTrustBundle is allowed not to exist.  If using signerName, then the combination of signerName and labelSelector is allowed to match zero ClusterTrustBundles.",
      ],
      path: ['string', 'Relative path from the volume root to write the bundle.'],
      signerName: [
        'string',
        'Select all ClusterTrustBundles that match this signer name. Mutually-exclusive with name.  The contents of all selected ClusterTrustBundles will be unified and deduplicated.',
      ],
    },
    required: ['path'],
  },
  'io.k8s.api.core.v1.ConfigMap': {
    description: 'ConfigMap holds configuration data for pods to consume.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      binaryData: [
        '{}string:byte',
        "BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'. BinaryData can contain byte sequences that are not in the UTF-8 range. The keys stored in BinaryData must not overlap with the ones in the Data field, this is enforced during validation process. Using this field will require 1.10+ apiserver and kubelet.",
      ],
      data: [
        '{}string',
        "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
      ],
      immutable: [
        'boolean',
        'Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
    },
  },
  'io.k8s.api.core.v1.ConfigMapEnvSource': {
    description:
      "ConfigMapEnvSource selects a ConfigMap to populate the environment variables with.  The contents of the target ConfigMap's Data field will represent the key-value pairs as environment variables.",
    properties: {
      name: [
        'string',
        'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      ],
      optional: ['boolean', 'Specify whether the ConfigMap must be defined'],
    },
  },
  'io.k8s.api.core.v1.ConfigMapKeySelector': {
    description: 'Selects a key from a ConfigMap.',
    properties: {
      key: ['string', 'The key to select.'],
      name: [
        'string',
        'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      ],
      optional: ['boolean', 'Specify whether the ConfigMap or its key must be defined'],
    },
    required: ['key'],
    extensions: { 'x-kubernetes-map-type': 'atomic' },
  },
  'io.k8s.api.core.v1.ConfigMapList': {
    description: 'ConfigMapList is a resource containing a list of ConfigMap objects.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: ['[]#io.k8s.api.core.v1.ConfigMap', 'Items is the list of ConfigMaps.'],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.core.v1.ConfigMapNodeConfigSource': {
    description:
      'ConfigMapNodeConfigSource contains the information to reference a ConfigMap as a config source for the Node. This API is deprecated since 1.22: https://git.k8s.io/enhancements/keps/sig-node/281-dynamic-kubelet-configuration',
    properties: {
      kubeletConfigKey: [
        'string',
        'KubeletConfigKey declares which key of the referenced ConfigMap corresponds to the KubeletConfiguration structure This field is required in all cases.',
      ],
      name: [
        'string',
        'Name is the metadata.name of the referenced ConfigMap. This field is required in all cases.',
      ],
      namespace: [
        'string',
        'Namespace is the metadata.namespace of the referenced ConfigMap. This field is required in all cases.',
      ],
      resourceVersion: [
        'string',
        'ResourceVersion is the metadata.ResourceVersion of the referenced ConfigMap. This field is forbidden in Node.Spec, and required in Node.Status.',
      ],
      uid: [
        'string',
        'UID is the metadata.UID of the referenced ConfigMap. This field is forbidden in Node.Spec, and required in Node.Status.',
      ],
    },
    required: ['kubeletConfigKey', 'name', 'namespace'],
  },
  'io.k8s.api.core.v1.ConfigMapProjection': {
    description:
      "Adapts a ConfigMap into a projected volume.  The contents of the target ConfigMap's Data field will be presented in a projected volume as files using the keys in the Data field as the file names, unless the items element is populated with specific mappings of keys to paths. Note that this is identical to a configmap volume source without the default mode.",
    properties: {
      items: [
        '[]#io.k8s.api.core.v1.KeyToPath',
        "items if unspecified, each key-value pair in the Data field of the referenced ConfigMap will be projected into the volume as a file whose name is the key and content is the value. If specified, the listed keys will be projected into the specified paths, and unlisted keys will not be present. If a key is specified which is not present in the ConfigMap, the volume setup will error unless it is marked optional. Paths must be relative and may not contain the '..' path or start with '..'.",
      ],
      name: [
        'string',
        'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      ],
      optional: ['boolean', 'optional specify whether the ConfigMap or its keys must be defined'],
    },
  },
  'io.k8s.api.core.v1.ConfigMapVolumeSource': {
    description:
      "Adapts a ConfigMap into a volume.  The contents of the target ConfigMap's Data field will be presented in a volume as files using the keys in the Data field as the file names, unless the items element is populated with specific mappings of keys to paths. ConfigMap volumes support ownership management and SELinux relabeling.",
    properties: {
      defaultMode: [
        'integer:int32',
        'defaultMode is optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. Defaults to 0644. Directories within the path are not affected by this setting. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.',
      ],
      items: [
        '[]#io.k8s.api.core.v1.KeyToPath',
        "items if unspecified, each key-value pair in the Data field of the referenced ConfigMap will be projected into the volume as a file whose name is the key and content is the value. If specified, the listed keys will be projected into the specified paths, and unlisted keys will not be present. If a key is specified which is not present in the ConfigMap, the volume setup will error unless it is marked optional. Paths must be relative and may not contain the '..' path or start with '..'.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      name: [
        'string',
        'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      ],
      optional: ['boolean', 'optional specify whether the ConfigMap or its keys must be defined'],
    },
  },
  'io.k8s.api.core.v1.Container': {
    description: 'A single application container that you want to run within a pod.',
    properties: {
      args: [
        '[]string',
        'Arguments to the entrypoint. The container image\'s CMD is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container\'s environment. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. "$$(VAR_NAME)" will produce the string literal "$(VAR_NAME)". Escaped references will never be expanded, regardless of whether the variable exists or not. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      command: [
        '[]string',
        'Entrypoint array. Not executed within a shell. The container image\'s ENTRYPOINT is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container\'s environment. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. "$$(VAR_NAME)" will produce the string literal "$(VAR_NAME)". Escaped references will never be expanded, regardless of whether the variable exists or not. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      env: [
        '[]#io.k8s.api.core.v1.EnvVar',
        'List of environment variables to set in the container. Cannot be updated.',
        {
          'x-kubernetes-list-map-keys': ['name'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      envFrom: [
        '[]#io.k8s.api.core.v1.EnvFromSource',
        "List of sources to populate environment variables in the container. The keys defined within a source may consist of any printable ASCII characters except '='. When a key exists in multiple sources, the value associated with the last source will take precedence. Values defined by an Env with a duplicate key will take precedence. Cannot be updated.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      image: [
        'string',
        'Container image name. More info: https://kubernetes.io/docs/concepts/containers/images This field is optional to allow higher level config management to default or override container images in workload controllers like Deployments and StatefulSets.',
      ],
      imagePullPolicy: [
        'string',
        'Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated. More info: https://kubernetes.io/docs/concepts/containers/images#updating-images',
      ],
      lifecycle: ['#io.k8s.api.core.v1.Lifecycle', ''],
      livenessProbe: ['#io.k8s.api.core.v1.Probe', ''],
      name: [
        'string',
        'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.',
      ],
      ports: [
        '[]#io.k8s.api.core.v1.ContainerPort',
        'List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed. Any port which is listening on the default "0.0.0.0" address inside a container will be accessible from the network. Modifying this array with strategic merge patch may corrupt the data. For more information See https://github.com/kubernetes/kubernetes/issues/108255. Cannot be updated.',
        {
          'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'containerPort',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      readinessProbe: ['#io.k8s.api.core.v1.Probe', ''],
      resizePolicy: [
        '[]#io.k8s.api.core.v1.ContainerResizePolicy',
        'Resources resize policy for the container.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      resources: ['#io.k8s.api.core.v1.ResourceRequirements', ''],
      restartPolicy: [
        'string',
        'RestartPolicy defines the restart behavior of individual containers in a pod. This overrides the pod-level restart policy. When this field is not specified, the restart behavior is defined by the Pod\'s restart policy and the container type. Additionally, setting the RestartPolicy as "Always" for the init container will have the following effect: this init container will be continually restarted on exit until all regular containers have terminated. Once all regular containers have completed, all init containers with restartPolicy "Always" will be shut down. This lifecycle differs from normal init containers and is often referred to as a "sidecar" container. Although this init container still starts in the init container sequence, it does not wait for the container to complete before proceeding to the next init container. Instead, the next init container starts immediately after this init container is started, or after any startupProbe has successfully completed.',
      ],
      restartPolicyRules: [
        '[]#io.k8s.api.core.v1.ContainerRestartRule',
        "Represents a list of rules to be checked to determine if the container should be restarted on exit. The rules are evaluated in order. Once a rule matches a container exit condition, the remaining rules are ignored. If no rule matches the container exit condition, the Container-level restart policy determines the whether the container is restarted or not. Constraints on the rules: - At most 20 rules are allowed. - Rules can have the same action. - Identical rules are not forbidden in validations. When rules are specified, container MUST set RestartPolicy explicitly even it if matches the Pod's RestartPolicy.",
      ],
      securityContext: ['#io.k8s.api.core.v1.SecurityContext', ''],
      startupProbe: ['#io.k8s.api.core.v1.Probe', ''],
      stdin: [
        'boolean',
        'Whether this container should allocate a buffer for stdin in the container runtime. If this is not set, reads from stdin in the container will always result in EOF. Default is false.',
      ],
      stdinOnce: [
        'boolean',
        'Whether the container runtime should close the stdin channel after it has been opened by a single attach. When stdin is true the stdin stream will remain open across multiple attach sessions. If stdinOnce is set to true, stdin is opened on container start, is empty until the first client attaches to stdin, and then remains open and accepts data until the client disconnects, at which time stdin is closed and remains closed until the container is restarted. If this flag is false, a container processes that reads from stdin will never receive an EOF. Default is false',
      ],
      terminationMessagePath: [
        'string',
        "Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem. Message written is intended to be brief final status, such as an assertion failure message. Will be truncated by the node if greater than 4096 bytes. The total message length across all containers will be limited to 12kb. Defaults to /dev/termination-log. Cannot be updated.",
      ],
      terminationMessagePolicy: [
        'string',
        'Indicate how the termination message should be populated. File will use the contents of terminationMessagePath to populate the container status message on both success and failure. FallbackToLogsOnError will use the last chunk of container log output if the termination message file is empty and the container exited with an error. The log output is limited to 2048 bytes or 80 lines, whichever is smaller. Defaults to File. Cannot be updated.',
      ],
      tty: [
        'boolean',
        "Whether this container should allocate a TTY for itself, also requires 'stdin' to be true. Default is false.",
      ],
      volumeDevices: [
        '[]#io.k8s.api.core.v1.VolumeDevice',
        'volumeDevices is the list of block devices to be used by the container.',
        {
          'x-kubernetes-list-map-keys': ['devicePath'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'devicePath',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      volumeMounts: [
        '[]#io.k8s.api.core.v1.VolumeMount',
        "Pod volumes to mount into the container's filesystem. Cannot be updated.",
        {
          'x-kubernetes-list-map-keys': ['mountPath'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'mountPath',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      workingDir: [
        'string',
        "Container's working directory. If not specified, the container runtime's default will be used, which might be configured in the container image. Cannot be updated.",
      ],
    },
    required: ['name'],
  },
  'io.k8s.api.core.v1.ContainerExtendedResourceRequest': {
    description:
      'ContainerExtendedResourceRequest has the mapping of container name, extended resource name to the device request name.',
    properties: {
      containerName: ['string', 'The name of the container requesting resources.'],
      requestName: [
        'string',
        'The name of the request in the special ResourceClaim which corresponds to the extended resource.',
      ],
      resourceName: [
        'string',
        'The name of the extended resource in that container which gets backed by DRA.',
      ],
    },
    required: ['containerName', 'requestName', 'resourceName'],
  },
  'io.k8s.api.core.v1.ContainerImage': {
    description: 'Describe a container image',
    properties: {
      names: [
        '[]string',
        'Names by which this image is known. e.g. ["kubernetes.example/hyperkube:v1.0.7", "cloud-vendor.registry.example/cloud-vendor/hyperkube:v1.0.7"]',
      ],
      sizeBytes: ['integer:int64', 'The size of the image in bytes.'],
    },
  },
  'io.k8s.api.core.v1.ContainerPort': {
    description: 'ContainerPort represents a network port in a single container.',
    properties: {
      containerPort: [
        'integer:int32',
        "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.",
      ],
      hostIP: ['string', 'What host IP to bind the external port to.'],
      hostPort: [
        'integer:int32',
        'Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536. If HostNetwork is specified, this must match ContainerPort. Most containers do not need this.',
      ],
      name: [
        'string',
        'If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name. Name for the port that can be referred to by services.',
      ],
      protocol: ['string', 'Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".'],
    },
    required: ['containerPort'],
  },
  'io.k8s.api.core.v1.ContainerResizePolicy': {
    description: 'ContainerResizePolicy represents resource resize policy for the container.',
    properties: {
      resourceName: [
        'string',
        'Name of the resource to which this resource resize policy applies. Supported values: cpu, memory.',
      ],
      restartPolicy: [
        'string',
        'Restart policy to apply when specified resource is resized. If not specified, it defaults to NotRequired.',
      ],
    },
    required: ['resourceName', 'restartPolicy'],
  },
  'io.k8s.api.core.v1.ContainerRestartRule': {
    description: 'ContainerRestartRule describes how a container exit is handled.',
    properties: {
      action: [
        'string',
        'Specifies the action taken on a container exit if the requirements are satisfied. The only possible value is "Restart" to restart the container.',
      ],
      exitCodes: ['#io.k8s.api.core.v1.ContainerRestartRuleOnExitCodes', ''],
    },
    required: ['action'],
  },
  'io.k8s.api.core.v1.ContainerRestartRuleOnExitCodes': {
    description:
      'ContainerRestartRuleOnExitCodes describes the condition for handling an exited container based on its exit codes.',
    properties: {
      operator: [
        'string',
        'Represents the relationship between the container exit code(s) and the specified values. Possible values are: - In: the requirement is satisfied if the container exit code is in the   set of specified values. - NotIn: the requirement is satisfied if the container exit code is   not in the set of specified values.',
      ],
      values: [
        '[]integer:int32',
        'Specifies the set of values to check for container exit codes. At most 255 elements are allowed.',
      ],
    },
    required: ['operator'],
  },
  'io.k8s.api.core.v1.ContainerState': {
    description:
      'ContainerState holds a possible state of container. Only one of its members may be specified. If none of them is specified, the default one is ContainerStateWaiting.',
    properties: {
      running: ['#io.k8s.api.core.v1.ContainerStateRunning', ''],
      terminated: ['#io.k8s.api.core.v1.ContainerStateTerminated', ''],
      waiting: ['#io.k8s.api.core.v1.ContainerStateWaiting', ''],
    },
  },
  'io.k8s.api.core.v1.ContainerStateRunning': {
    description: 'ContainerStateRunning is a running state of a container.',
    properties: {
      startedAt: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'Time at which the container was last (re-)started',
      ],
    },
  },
  'io.k8s.api.core.v1.ContainerStateTerminated': {
    description: 'ContainerStateTerminated is a terminated state of a container.',
    properties: {
      containerID: ['string', "Container's ID in the format '<type>://<container_id>'"],
      exitCode: ['integer:int32', 'Exit status from the last termination of the container'],
      finishedAt: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'Time at which the container last terminated',
      ],
      message: ['string', 'Message regarding the last termination of the container'],
      reason: ['string', '(brief) reason from the last termination of the container'],
      signal: ['integer:int32', 'Signal from the last termination of the container'],
      startedAt: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'Time at which previous execution of the container started',
      ],
    },
    required: ['exitCode'],
  },
  'io.k8s.api.core.v1.ContainerStateWaiting': {
    description: 'ContainerStateWaiting is a waiting state of a container.',
    properties: {
      message: ['string', 'Message regarding why the container is not yet running.'],
      reason: ['string', '(brief) reason the container is not yet running.'],
    },
  },
  'io.k8s.api.core.v1.ContainerStatus': {
    description: 'ContainerStatus contains details for the current status of this container.',
    properties: {
      allocatedResources: [
        '{}string',
        'AllocatedResources represents the compute resources allocated for this container by the node. Kubelet sets this value to Container.Resources.Requests upon successful pod admission and after successfully admitting desired pod resize.',
      ],
      allocatedResourcesStatus: [
        '[]#io.k8s.api.core.v1.ResourceStatus',
        'AllocatedResourcesStatus represents the status of various resources allocated for this Pod.',
      ],
      containerID: [
        'string',
        'ContainerID is the ID of the container in the format \'<type>://<container_id>\'. Where type is a container runtime identifier, returned from Version call of CRI API (for example "containerd").',
      ],
      image: [
        'string',
        'Image is the name of container image that the container is running. The container image may not match the image used in the PodSpec, as it may have been resolved by the runtime. More info: https://kubernetes.io/docs/concepts/containers/images.',
      ],
      imageID: [
        'string',
        "ImageID is the image ID of the container's image. The image ID may not match the image ID of the image used in the PodSpec, as it may have been resolved by the runtime.",
      ],
      lastState: ['#io.k8s.api.core.v1.ContainerState', ''],
      name: [
        'string',
        'Name is a DNS_LABEL representing the unique name of the container. Each container in a pod must have a unique name across all container types. Cannot be updated.',
      ],
      ready: [
        'boolean',
        'Ready specifies whether the container is currently passing its readiness check. The value will change as readiness probes keep executing. If no readiness probes are specified, this field defaults to true once the container is fully started (see Started field).  The value is typically used to determine whether a container is ready to accept traffic.',
      ],
      resources: ['#io.k8s.api.core.v1.ResourceRequirements', ''],
      restartCount: [
        'integer:int32',
        'RestartCount holds the number of times the container has been restarted. Kubelet makes an effort to always increment the value, but there are cases when the state may be lost due to node restarts and then the value may be reset to 0. The value is never negative.',
      ],
      started: [
        'boolean',
        'Started indicates whether the container has finished its postStart lifecycle hook and passed its startup probe. Initialized as false, becomes true after startupProbe is considered successful. Resets to false when the container is restarted, or if kubelet loses state temporarily. In both cases, startup probes will run again. Is always true when no startupProbe is defined and container is running and has passed the postStart lifecycle hook. The null value must be treated the same as false.',
      ],
      state: ['#io.k8s.api.core.v1.ContainerState', ''],
      stopSignal: ['string', 'StopSignal reports the effective stop signal for this container'],
      user: ['#io.k8s.api.core.v1.ContainerUser', ''],
      volumeMounts: ['[]#io.k8s.api.core.v1.VolumeMountStatus', 'Status of volume mounts.'],
    },
    required: ['image', 'imageID', 'name', 'ready', 'restartCount'],
  },
  'io.k8s.api.core.v1.ContainerUser': {
    description: 'ContainerUser represents user identity information',
    properties: { linux: ['#io.k8s.api.core.v1.LinuxContainerUser', ''] },
  },
  'io.k8s.api.core.v1.DaemonEndpoint': {
    description: 'DaemonEndpoint contains information about a single Daemon endpoint.',
    properties: { Port: ['integer:int32', 'Port number of the given endpoint.'] },
    required: ['Port'],
  },
  'io.k8s.api.core.v1.DownwardAPIProjection': {
    description:
      'Represents downward API info for projecting into a projected volume. Note that this is identical to a downwardAPI volume source without the default mode.',
    properties: {
      items: ['[]#io.k8s.api.core.v1.DownwardAPIVolumeFile', 'Items is a list of DownwardAPIVolume file'],
    },
  },
  'io.k8s.api.core.v1.DownwardAPIVolumeFile': {
    description: 'DownwardAPIVolumeFile represents information to create the file containing the pod field',
    properties: {
      fieldRef: ['#io.k8s.api.core.v1.ObjectFieldSelector', ''],
      mode: [
        'integer:int32',
        'Optional: mode bits used to set permissions on this file, must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. If not specified, the volume defaultMode will be used. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.',
      ],
      path: [
        'string',
        "Required: Path is  the relative path name of the file to be created. Must not be absolute or contain the '..' path. Must be utf-8 encoded. The first item of the relative path must not start with '..'",
      ],
      resourceFieldRef: ['#io.k8s.api.core.v1.ResourceFieldSelector', ''],
    },
    required: ['path'],
  },
  'io.k8s.api.core.v1.DownwardAPIVolumeSource': {
    description:
      'DownwardAPIVolumeSource represents a volume containing downward API info. Downward API volumes support ownership management and SELinux relabeling.',
    properties: {
      defaultMode: [
        'integer:int32',
        'Optional: mode bits to use on created files by default. Must be a Optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. Defaults to 0644. Directories within the path are not affected by this setting. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.',
      ],
      items: [
        '[]#io.k8s.api.core.v1.DownwardAPIVolumeFile',
        'Items is a list of downward API volume file',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.core.v1.EmptyDirVolumeSource': {
    description:
      'Represents an empty directory for a pod. Empty directory volumes support ownership management and SELinux relabeling.',
    properties: {
      medium: [
        'string',
        'medium represents what type of storage medium should back this directory. The default is "" which means to use the node\'s default medium. Must be an empty string (default) or Memory. More info: https://kubernetes.io/docs/concepts/storage/volumes#emptydir',
      ],
      sizeLimit: [
        'string',
        'sizeLimit is the total amount of local storage required for this EmptyDir volume. The size limit is also applicable for memory medium. The maximum usage on memory medium EmptyDir would be the minimum value between the SizeLimit specified here and the sum of memory limits of all containers in a pod. The default is nil which means that the limit is undefined. More info: https://kubernetes.io/docs/concepts/storage/volumes#emptydir',
      ],
    },
  },
  'io.k8s.api.core.v1.EnvFromSource': {
    description: 'EnvFromSource represents the source of a set of ConfigMaps or Secrets',
    properties: {
      configMapRef: ['#io.k8s.api.core.v1.ConfigMapEnvSource', ''],
      prefix: [
        'string',
        "Optional text to prepend to the name of each environment variable. May consist of any printable ASCII characters except '='.",
      ],
      secretRef: ['#io.k8s.api.core.v1.SecretEnvSource', ''],
    },
  },
  'io.k8s.api.core.v1.EnvVar': {
    description: 'EnvVar represents an environment variable present in a Container.',
    properties: {
      name: [
        'string',
        "Name of the environment variable. May consist of any printable ASCII characters except '='.",
      ],
      value: [
        'string',
        'Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. "$$(VAR_NAME)" will produce the string literal "$(VAR_NAME)". Escaped references will never be expanded, regardless of whether the variable exists or not. Defaults to "".',
      ],
      valueFrom: ['#io.k8s.api.core.v1.EnvVarSource', ''],
    },
    required: ['name'],
  },
  'io.k8s.api.core.v1.EnvVarSource': {
    description: 'EnvVarSource represents a source for the value of an EnvVar.',
    properties: {
      configMapKeyRef: ['#io.k8s.api.core.v1.ConfigMapKeySelector', ''],
      fieldRef: ['#io.k8s.api.core.v1.ObjectFieldSelector', ''],
      fileKeyRef: ['#io.k8s.api.core.v1.FileKeySelector', ''],
      resourceFieldRef: ['#io.k8s.api.core.v1.ResourceFieldSelector', ''],
      secretKeyRef: ['#io.k8s.api.core.v1.SecretKeySelector', ''],
    },
  },
  'io.k8s.api.core.v1.EphemeralContainer': {
    description:
      'An EphemeralContainer is a temporary container that you may add to an existing Pod for user-initiated activities such as debugging. Ephemeral containers have no resource or scheduling guarantees, and they will not be restarted when they exit or when a Pod is removed or restarted. The kubelet may evict a Pod if an ephemeral container causes the Pod to exceed its resource allocation.  To add an ephemeral container, use the ephemeralcontainers subresource of an existing Pod. Ephemeral containers may not be removed or restarted.',
    properties: {
      args: [
        '[]string',
        'Arguments to the entrypoint. The image\'s CMD is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container\'s environment. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. "$$(VAR_NAME)" will produce the string literal "$(VAR_NAME)". Escaped references will never be expanded, regardless of whether the variable exists or not. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      command: [
        '[]string',
        'Entrypoint array. Not executed within a shell. The image\'s ENTRYPOINT is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container\'s environment. If a variable cannot be resolved, the reference in the input string will be unchanged. Double $$ are reduced to a single $, which allows for escaping the $(VAR_NAME) syntax: i.e. "$$(VAR_NAME)" will produce the string literal "$(VAR_NAME)". Escaped references will never be expanded, regardless of whether the variable exists or not. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      env: [
        '[]#io.k8s.api.core.v1.EnvVar',
        'List of environment variables to set in the container. Cannot be updated.',
        {
          'x-kubernetes-list-map-keys': ['name'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      envFrom: [
        '[]#io.k8s.api.core.v1.EnvFromSource',
        "List of sources to populate environment variables in the container. The keys defined within a source may consist of any printable ASCII characters except '='. When a key exists in multiple sources, the value associated with the last source will take precedence. Values defined by an Env with a duplicate key will take precedence. Cannot be updated.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      image: [
        'string',
        'Container image name. More info: https://kubernetes.io/docs/concepts/containers/images',
      ],
      imagePullPolicy: [
        'string',
        'Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated. More info: https://kubernetes.io/docs/concepts/containers/images#updating-images',
      ],
      lifecycle: ['#io.k8s.api.core.v1.Lifecycle', ''],
      livenessProbe: ['#io.k8s.api.core.v1.Probe', ''],
      name: [
        'string',
        'Name of the ephemeral container specified as a DNS_LABEL. This name must be unique among all containers, init containers and ephemeral containers.',
      ],
      ports: [
        '[]#io.k8s.api.core.v1.ContainerPort',
        'Ports are not allowed for ephemeral containers.',
        {
          'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'containerPort',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      readinessProbe: ['#io.k8s.api.core.v1.Probe', ''],
      resizePolicy: [
        '[]#io.k8s.api.core.v1.ContainerResizePolicy',
        'Resources resize policy for the container.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      resources: ['#io.k8s.api.core.v1.ResourceRequirements', ''],
      restartPolicy: [
        'string',
        'Restart policy for the container to manage the restart behavior of each container within a pod. You cannot set this field on ephemeral containers.',
      ],
      restartPolicyRules: [
        '[]#io.k8s.api.core.v1.ContainerRestartRule',
        'Represents a list of rules to be checked to determine if the container should be restarted on exit. You cannot set this field on ephemeral containers.',
      ],
      securityContext: ['#io.k8s.api.core.v1.SecurityContext', ''],
      startupProbe: ['#io.k8s.api.core.v1.Probe', ''],
      stdin: [
        'boolean',
        'Whether this container should allocate a buffer for stdin in the container runtime. If this is not set, reads from stdin in the container will always result in EOF. Default is false.',
      ],
      stdinOnce: [
        'boolean',
        'Whether the container runtime should close the stdin channel after it has been opened by a single attach. When stdin is true the stdin stream will remain open across multiple attach sessions. If stdinOnce is set to true, stdin is opened on container start, is empty until the first client attaches to stdin, and then remains open and accepts data until the client disconnects, at which time stdin is closed and remains closed until the container is restarted. If this flag is false, a container processes that reads from stdin will never receive an EOF. Default is false',
      ],
      targetContainerName: [
        'string',
        'If set, the name of the container from PodSpec that this ephemeral container targets. The ephemeral container will be run in the namespaces (IPC, PID, etc) of this container. If not set then the ephemeral container uses the namespaces configured in the Pod spec.  The container runtime must implement support for this feature. If the runtime does not support namespace targeting then the result of setting this field is undefined.',
      ],
      terminationMessagePath: [
        'string',
        "Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem. Message written is intended to be brief final status, such as an assertion failure message. Will be truncated by the node if greater than 4096 bytes. The total message length across all containers will be limited to 12kb. Defaults to /dev/termination-log. Cannot be updated.",
      ],
      terminationMessagePolicy: [
        'string',
        'Indicate how the termination message should be populated. File will use the contents of terminationMessagePath to populate the container status message on both success and failure. FallbackToLogsOnError will use the last chunk of container log output if the termination message file is empty and the container exited with an error. The log output is limited to 2048 bytes or 80 lines, whichever is smaller. Defaults to File. Cannot be updated.',
      ],
      tty: [
        'boolean',
        "Whether this container should allocate a TTY for itself, also requires 'stdin' to be true. Default is false.",
      ],
      volumeDevices: [
        '[]#io.k8s.api.core.v1.VolumeDevice',
        'volumeDevices is the list of block devices to be used by the container.',
        {
          'x-kubernetes-list-map-keys': ['devicePath'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'devicePath',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      volumeMounts: [
        '[]#io.k8s.api.core.v1.VolumeMount',
        "Pod volumes to mount into the container's filesystem. Subpath mounts are not allowed for ephemeral containers. Cannot be updated.",
        {
          'x-kubernetes-list-map-keys': ['mountPath'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'mountPath',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      workingDir: [
        'string',
        "Container's working directory. If not specified, the container runtime's default will be used, which might be configured in the container image. Cannot be updated.",
      ],
    },
    required: ['name'],
  },
  'io.k8s.api.core.v1.EphemeralVolumeSource': {
    description: 'Represents an ephemeral volume that is handled by a normal storage driver.',
    properties: { volumeClaimTemplate: ['#io.k8s.api.core.v1.PersistentVolumeClaimTemplate', ''] },
  },
  'io.k8s.api.core.v1.Event': {
    description:
      'Event is a report of an event somewhere in the cluster.  Events have a limited retention time and triggers and messages may evolve with time.  Event consumers should not rely on the timing of an event with a given Reason reflecting a consistent underlying trigger, or the continued existence of events with that Reason.  Events should be treated as informative, best-effort, supplemental data.',
    properties: {
      action: ['string', 'What action was taken/failed regarding to the Regarding object.'],
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      count: ['integer:int32', 'The number of times this event has occurred.'],
      eventTime: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
        'MicroTime is version of Time with microsecond level precision.',
      ],
      firstTimestamp: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
      ],
      involvedObject: ['#io.k8s.api.core.v1.ObjectReference', ''],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      lastTimestamp: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'The time at which the most recent occurrence of this event was recorded.',
      ],
      message: ['string', 'A human-readable description of the status of this operation.'],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      reason: [
        'string',
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      ],
      related: ['#io.k8s.api.core.v1.ObjectReference', ''],
      reportingComponent: [
        'string',
        'Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.',
      ],
      reportingInstance: ['string', 'ID of the controller instance, e.g. `kubelet-xyzf`.'],
      series: ['#io.k8s.api.core.v1.EventSeries', ''],
      source: ['#io.k8s.api.core.v1.EventSource', ''],
      type: ['string', 'Type of this event (Normal, Warning), new types could be added in the future'],
    },
    required: ['involvedObject', 'metadata'],
  },
  'io.k8s.api.core.v1.EventList': {
    description: 'EventList is a list of events.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: ['[]#io.k8s.api.core.v1.Event', 'List of events'],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.core.v1.EventSeries': {
    description:
      'EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.',
    properties: {
      count: ['integer:int32', 'Number of occurrences in this series up to the last heartbeat time'],
      lastObservedTime: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
        'MicroTime is version of Time with microsecond level precision.',
      ],
    },
  },
  'io.k8s.api.core.v1.EventSource': {
    description: 'EventSource contains information for an event.',
    properties: {
      component: ['string', 'Component from which the event is generated.'],
      host: ['string', 'Node name on which the event is generated.'],
    },
  },
  'io.k8s.api.core.v1.ExecAction': {
    description: 'ExecAction describes a "run in container" action.',
    properties: {
      command: [
        '[]string',
        "Command is the command line to execute inside the container, the working directory for the command  is root ('/') in the container's filesystem. The command is simply exec'd, it is not run inside a shell, so traditional shell instructions ('|', etc) won't work. To use a shell, you need to explicitly call out to that shell. Exit status of 0 is treated as live/healthy and non-zero is unhealthy.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.core.v1.FCVolumeSource': {
    description:
      'Represents a Fibre Channel volume. Fibre Channel volumes can only be mounted as read/write once. Fibre Channel volumes support ownership management and SELinux relabeling.',
    properties: {
      fsType: [
        'string',
        'fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system. Ex. "ext4", "xfs", "ntfs". Implicitly inferred to be "ext4" if unspecified.',
      ],
      lun: ['integer:int32', 'lun is Optional: FC target lun number'],
      readOnly: [
        'boolean',
        'readOnly is Optional: Defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ],
      targetWWNs: ['[]string', 'targetWWNs is Optional: FC target worldwide names (WWNs)'],
      wwids: [
        '[]string',
        'wwids Optional: FC volume world wide identifiers (wwids) Either wwids or combination of targetWWNs and lun must be set, but not both simultaneously.',
      ],
    },
  },
  'io.k8s.api.core.v1.FileKeySelector': {
    description: 'FileKeySelector selects a key of the env file.',
    properties: {
      key: [
        'string',
        "The key within the env file. An invalid key will prevent the pod from starting. The keys defined within a source may consist of any printable ASCII characters except '='. During Alpha stage of the EnvFiles feature gate, the key size is limited to 128 characters.",
      ],
      optional: [
        'boolean',
        "Specify whether the file or its key must be defined. If the file or key does not exist, then the env var is not published. If optional is set to true and the specified key does not exist, the environment variable will not be set in the Pod's containers.  If optional is set to false and the specified key does not exist, an error will be returned during Pod creation.",
      ],
      path: [
        'string',
        "The path within the volume from which to select the file. Must be relative and may not contain the '..' path or start with '..'.",
      ],
      volumeName: ['string', 'The name of the volume mount containing the env file.'],
    },
    required: ['key', 'path', 'volumeName'],
  },
  'io.k8s.api.core.v1.FlexVolumeSource': {
    description:
      'FlexVolume represents a generic volume resource that is provisioned/attached using an exec based plugin.',
    properties: {
      driver: ['string', 'driver is the name of the driver to use for this volume.'],
      fsType: [
        'string',
        'fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system. Ex. "ext4", "xfs", "ntfs". The default filesystem depends on FlexVolume script.',
      ],
      options: ['{}string', 'options is Optional: this field holds extra command options if any.'],
      readOnly: [
        'boolean',
        'readOnly is Optional: defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ],
      secretRef: ['#io.k8s.api.core.v1.LocalObjectReference', ''],
    },
    required: ['driver'],
  },
  'io.k8s.api.core.v1.FlockerVolumeSource': {
    description:
      'Represents a Flocker volume mounted by the Flocker agent. One and only one of datasetName and datasetUUID should be set. Flocker volumes do not support ownership management or SELinux relabeling.',
    properties: {
      datasetName: [
        'string',
        'datasetName is Name of the dataset stored as metadata -> name on the dataset for Flocker should be considered as deprecated',
      ],
      datasetUUID: [
        'string',
        'datasetUUID is the UUID of the dataset. This is unique identifier of a Flocker dataset',
      ],
    },
  },
  'io.k8s.api.core.v1.GCEPersistentDiskVolumeSource': {
    description:
      'Represents a Persistent Disk resource in Google Compute Engine.  A GCE PD must exist before mounting to a container. The disk must also be in the same GCE project and zone as the kubelet. A GCE PD can only be mounted as read/write once or read-only many times. GCE PDs support ownership management and SELinux relabeling.',
    properties: {
      fsType: [
        'string',
        'fsType is filesystem type of the volume that you want to mount. Tip: Ensure that the filesystem type is supported by the host operating system. Examples: "ext4", "xfs", "ntfs". Implicitly inferred to be "ext4" if unspecified. More info: https://kubernetes.io/docs/concepts/storage/volumes#gcepersistentdisk',
      ],
      partition: [
        'integer:int32',
        'partition is the partition in the volume that you want to mount. If omitted, the default is to mount by volume name. Examples: For volume /dev/sda1, you specify the partition as "1". Similarly, the volume partition for /dev/sda is "0" (or you can leave the property empty). More info: https://kubernetes.io/docs/concepts/storage/volumes#gcepersistentdisk',
      ],
      pdName: [
        'string',
        'pdName is unique name of the PD resource in GCE. Used to identify the disk in GCE. More info: https://kubernetes.io/docs/concepts/storage/volumes#gcepersistentdisk',
      ],
      readOnly: [
        'boolean',
        'readOnly here will force the ReadOnly setting in VolumeMounts. Defaults to false. More info: https://kubernetes.io/docs/concepts/storage/volumes#gcepersistentdisk',
      ],
    },
    required: ['pdName'],
  },
  'io.k8s.api.core.v1.GRPCAction': {
    description: 'GRPCAction specifies an action involving a GRPC service.',
    properties: {
      port: ['integer:int32', 'Port number of the gRPC service. Number must be in the range 1 to 65535.'],
      service: [
        'string',
        'Service is the name of the service to place in the gRPC HealthCheckRequest (see https://github.com/grpc/grpc/blob/master/doc/health-checking.md).  If this is not specified, the default behavior is defined by gRPC.',
      ],
    },
    required: ['port'],
  },
  'io.k8s.api.core.v1.GitRepoVolumeSource': {
    description:
      "Represents a volume that is populated with the contents of a git repository. Git repo volumes do not support ownership management. Git repo volumes support SELinux relabeling.  DEPRECATED: GitRepo is deprecated. To provision a container with a git repo, mount an EmptyDir into an InitContainer that clones the repo using git, then mount the EmptyDir into the Pod's container.",
    properties: {
      directory: [
        'string',
        "directory is the target directory name. Must not contain or start with '..'.  If '.' is supplied, the volume directory will be the git repository.  Otherwise, if specified, the volume will contain the git repository in the subdirectory with the given name.",
      ],
      repository: ['string', 'repository is the URL'],
      revision: ['string', 'revision is the commit hash for the specified revision.'],
    },
    required: ['repository'],
  },
  'io.k8s.api.core.v1.GlusterfsVolumeSource': {
    description:
      'Represents a Glusterfs mount that lasts the lifetime of a pod. Glusterfs volumes do not support ownership management or SELinux relabeling.',
    properties: {
      endpoints: ['string', 'endpoints is the endpoint name that details Glusterfs topology.'],
      path: [
        'string',
        'path is the Glusterfs volume path. More info: https://examples.k8s.io/volumes/glusterfs/README.md#create-a-pod',
      ],
      readOnly: [
        'boolean',
        'readOnly here will force the Glusterfs volume to be mounted with read-only permissions. Defaults to false. More info: https://examples.k8s.io/volumes/glusterfs/README.md#create-a-pod',
      ],
    },
    required: ['endpoints', 'path'],
  },
  'io.k8s.api.core.v1.HTTPGetAction': {
    description: 'HTTPGetAction describes an action based on HTTP Get requests.',
    properties: {
      host: [
        'string',
        'Host name to connect to, defaults to the pod IP. You probably want to set "Host" in httpHeaders instead.',
      ],
      httpHeaders: [
        '[]#io.k8s.api.core.v1.HTTPHeader',
        'Custom headers to set in the request. HTTP allows repeated headers.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      path: ['string', 'Path to access on the HTTP server.'],
      port: [
        '#io.k8s.apimachinery.pkg.util.intstr.IntOrString',
        'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
      ],
      scheme: ['string', 'Scheme to use for connecting to the host. Defaults to HTTP.'],
    },
    required: ['port'],
  },
  'io.k8s.api.core.v1.HTTPHeader': {
    description: 'HTTPHeader describes a custom header to be used in HTTP probes',
    properties: {
      name: [
        'string',
        'The header field name. This will be canonicalized upon output, so case-variant names will be understood as the same header.',
      ],
      value: ['string', 'The header field value'],
    },
    required: ['name', 'value'],
  },
  'io.k8s.api.core.v1.HostAlias': {
    description:
      "HostAlias holds the mapping between IP and hostnames that will be injected as an entry in the pod's hosts file.",
    properties: {
      hostnames: ['[]string', 'Hostnames for the above IP address.'],
      ip: ['string', 'IP address of the host file entry.'],
    },
    required: ['ip'],
  },
  'io.k8s.api.core.v1.HostIP': {
    description: 'HostIP represents a single IP address allocated to the host.',
    properties: { ip: ['string', 'IP is the IP address assigned to the host'] },
    required: ['ip'],
  },
  'io.k8s.api.core.v1.HostPathVolumeSource': {
    description:
      'Represents a host path mapped into a pod. Host path volumes do not support ownership management or SELinux relabeling.',
    properties: {
      path: [
        'string',
        'path of the directory on the host. If the path is a symlink, it will follow the link to the real path. More info: https://kubernetes.io/docs/concepts/storage/volumes#hostpath',
      ],
      type: [
        'string',
        'type for HostPath Volume Defaults to "" More info: https://kubernetes.io/docs/concepts/storage/volumes#hostpath',
      ],
    },
    required: ['path'],
  },
  'io.k8s.api.core.v1.ISCSIVolumeSource': {
    description:
      'Represents an ISCSI disk. ISCSI volumes can only be mounted as read/write once. ISCSI volumes support ownership management and SELinux relabeling.',
    properties: {
      chapAuthDiscovery: [
        'boolean',
        'chapAuthDiscovery defines whether support iSCSI Discovery CHAP authentication',
      ],
      chapAuthSession: [
        'boolean',
        'chapAuthSession defines whether support iSCSI Session CHAP authentication',
      ],
      fsType: [
        'string',
        'fsType is the filesystem type of the volume that you want to mount. Tip: Ensure that the filesystem type is supported by the host operating system. Examples: "ext4", "xfs", "ntfs". Implicitly inferred to be "ext4" if unspecified. More info: https://kubernetes.io/docs/concepts/storage/volumes#iscsi',
      ],
      initiatorName: [
        'string',
        'initiatorName is the custom iSCSI Initiator Name. If initiatorName is specified with iscsiInterface simultaneously, new iSCSI interface <target portal>:<volume name> will be created for the connection.',
      ],
      iqn: ['string', 'iqn is the target iSCSI Qualified Name.'],
      iscsiInterface: [
        'string',
        "iscsiInterface is the interface Name that uses an iSCSI transport. Defaults to 'default' (tcp).",
      ],
      lun: ['integer:int32', 'lun represents iSCSI Target Lun number.'],
      portals: [
        '[]string',
        'portals is the iSCSI Target Portal List. The portal is either an IP or ip_addr:port if the port is other than default (typically TCP ports 860 and 3260).',
      ],
      readOnly: [
        'boolean',
        'readOnly here will force the ReadOnly setting in VolumeMounts. Defaults to false.',
      ],
      secretRef: ['#io.k8s.api.core.v1.LocalObjectReference', ''],
      targetPortal: [
        'string',
        'targetPortal is iSCSI Target Portal. The Portal is either an IP or ip_addr:port if the port is other than default (typically TCP ports 860 and 3260).',
      ],
    },
    required: ['iqn', 'lun', 'targetPortal'],
  },
  'io.k8s.api.core.v1.ImageVolumeSource': {
    description: 'ImageVolumeSource represents a image volume resource.',
    properties: {
      pullPolicy: [
        'string',
        "Policy for pulling OCI objects. Possible values are: Always: the kubelet always attempts to pull the reference. Container creation will fail If the pull fails. Never: the kubelet never pulls the reference and only uses a local image or artifact. Container creation will fail if the reference isn't present. IfNotPresent: the kubelet pulls if the reference isn't already present on disk. Container creation will fail if the reference isn't present and the pull fails. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise.",
      ],
      reference: [
        'string',
        'Required: Image or artifact reference to be used. Behaves in the same way as pod.spec.containers[*].image. Pull secrets will be assembled in the same way as for the container image by looking up node credentials, SA image pull secrets, and pod spec image pull secrets. More info: https://kubernetes.io/docs/concepts/containers/images This field is optional to allow higher level config management to default or override container images in workload controllers like Deployments and StatefulSets.',
      ],
    },
  },
  'io.k8s.api.core.v1.KeyToPath': {
    description: 'Maps a string key to a path within a volume.',
    properties: {
      key: ['string', 'key is the key to project.'],
      mode: [
        'integer:int32',
        'mode is Optional: mode bits used to set permissions on this file. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. If not specified, the volume defaultMode will be used. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.',
      ],
      path: [
        'string',
        "path is the relative path of the file to map the key to. May not be an absolute path. May not contain the path element '..'. May not start with the string '..'.",
      ],
    },
    required: ['key', 'path'],
  },
  'io.k8s.api.core.v1.Lifecycle': {
    description:
      'Lifecycle describes actions that the management system should take in response to container lifecycle events. For the PostStart and PreStop lifecycle handlers, management of the container blocks until the action is complete, unless the container process fails, in which case the handler is aborted.',
    properties: {
      postStart: ['#io.k8s.api.core.v1.LifecycleHandler', ''],
      preStop: ['#io.k8s.api.core.v1.LifecycleHandler', ''],
      stopSignal: [
        'string',
        'StopSignal defines which signal will be sent to a container when it is being stopped. If not specified, the default is defined by the container runtime in use. StopSignal can only be set for Pods with a non-empty .spec.os.name',
      ],
    },
  },
  'io.k8s.api.core.v1.LifecycleHandler': {
    description:
      'LifecycleHandler defines a specific action that should be taken in a lifecycle hook. One and only one of the fields, except TCPSocket must be specified.',
    properties: {
      exec: ['#io.k8s.api.core.v1.ExecAction', ''],
      httpGet: ['#io.k8s.api.core.v1.HTTPGetAction', ''],
      sleep: ['#io.k8s.api.core.v1.SleepAction', ''],
      tcpSocket: ['#io.k8s.api.core.v1.TCPSocketAction', ''],
    },
  },
  'io.k8s.api.core.v1.LinuxContainerUser': {
    description: 'LinuxContainerUser represents user identity information in Linux containers',
    properties: {
      gid: [
        'integer:int64',
        'GID is the primary gid initially attached to the first process in the container',
      ],
      supplementalGroups: [
        '[]integer:int64',
        'SupplementalGroups are the supplemental groups initially attached to the first process in the container',
      ],
      uid: [
        'integer:int64',
        'UID is the primary uid initially attached to the first process in the container',
      ],
    },
    required: ['gid', 'uid'],
  },
  'io.k8s.api.core.v1.LoadBalancerIngress': {
    description:
      'LoadBalancerIngress represents the status of a load-balancer ingress point: traffic intended for the service should be sent to an ingress point.',
    properties: {
      hostname: [
        'string',
        'Hostname is set for load-balancer ingress points that are DNS based (typically AWS load-balancers)',
      ],
      ip: [
        'string',
        'IP is set for load-balancer ingress points that are IP based (typically GCE or OpenStack load-balancers)',
      ],
      ipMode: [
        'string',
        'IPMode specifies how the load-balancer IP behaves, and may only be specified when the ip field is specified. Setting this to "VIP" indicates that traffic is delivered to the node with the destination set to the load-balancer\'s IP and port. Setting this to "Proxy" indicates that traffic is delivered to the node or pod with the destination set to the node\'s IP and node port or the pod\'s IP and port. Service implementations may use this information to adjust traffic routing.',
      ],
      ports: [
        '[]#io.k8s.api.core.v1.PortStatus',
        'Ports is a list of records of service ports If used, every port defined in the service should have an entry in it',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.core.v1.LoadBalancerStatus': {
    description: 'LoadBalancerStatus represents the status of a load-balancer.',
    properties: {
      ingress: [
        '[]#io.k8s.api.core.v1.LoadBalancerIngress',
        'Ingress is a list containing ingress points for the load-balancer. Traffic intended for the service should be sent to these ingress points.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.core.v1.LocalObjectReference': {
    description:
      'LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.',
    properties: {
      name: [
        'string',
        'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      ],
    },
    extensions: { 'x-kubernetes-map-type': 'atomic' },
  },
  'io.k8s.api.core.v1.NFSVolumeSource': {
    description:
      'Represents an NFS mount that lasts the lifetime of a pod. NFS volumes do not support ownership management or SELinux relabeling.',
    properties: {
      path: [
        'string',
        'path that is exported by the NFS server. More info: https://kubernetes.io/docs/concepts/storage/volumes#nfs',
      ],
      readOnly: [
        'boolean',
        'readOnly here will force the NFS export to be mounted with read-only permissions. Defaults to false. More info: https://kubernetes.io/docs/concepts/storage/volumes#nfs',
      ],
      server: [
        'string',
        'server is the hostname or IP address of the NFS server. More info: https://kubernetes.io/docs/concepts/storage/volumes#nfs',
      ],
    },
    required: ['path', 'server'],
  },
  'io.k8s.api.core.v1.Namespace': {
    description: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.core.v1.NamespaceSpec', ''],
      status: ['#io.k8s.api.core.v1.NamespaceStatus', ''],
    },
  },
  'io.k8s.api.core.v1.NamespaceCondition': {
    description: 'NamespaceCondition contains details about state of namespace.',
    properties: {
      lastTransitionTime: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'Last time the condition transitioned from one status to another.',
      ],
      message: ['string', 'Human-readable message indicating details about last transition.'],
      reason: ['string', "Unique, one-word, CamelCase reason for the condition's last transition."],
      status: ['string', 'Status of the condition, one of True, False, Unknown.'],
      type: ['string', 'Type of namespace controller condition.'],
    },
    required: ['status', 'type'],
  },
  'io.k8s.api.core.v1.NamespaceList': {
    description: 'NamespaceList is a list of Namespaces.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: [
        '[]#io.k8s.api.core.v1.Namespace',
        'Items is the list of Namespace objects in the list. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.core.v1.NamespaceSpec': {
    description: 'NamespaceSpec describes the attributes on a Namespace.',
    properties: {
      finalizers: [
        '[]string',
        'Finalizers is an opaque list of values that must be empty to permanently remove object from storage. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.core.v1.NamespaceStatus': {
    description: 'NamespaceStatus is information about the current status of a Namespace.',
    properties: {
      conditions: [
        '[]#io.k8s.api.core.v1.NamespaceCondition',
        "Represents the latest available observations of a namespace's current state.",
        {
          'x-kubernetes-list-map-keys': ['type'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'type',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      phase: [
        'string',
        'Phase is the current lifecycle phase of the namespace. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/',
      ],
    },
  },
  'io.k8s.api.core.v1.Node': {
    description:
      'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.core.v1.NodeSpec', ''],
      status: ['#io.k8s.api.core.v1.NodeStatus', ''],
    },
  },
  'io.k8s.api.core.v1.NodeAddress': {
    description: "NodeAddress contains information for the node's address.",
    properties: {
      address: ['string', 'The node address.'],
      type: ['string', 'Node address type, one of Hostname, ExternalIP or InternalIP.'],
    },
    required: ['address', 'type'],
  },
  'io.k8s.api.core.v1.NodeAffinity': {
    description: 'Node affinity is a group of node affinity scheduling rules.',
    properties: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        '[]#io.k8s.api.core.v1.PreferredSchedulingTerm',
        'The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions. The node that is most preferred is the one with the greatest sum of weights, i.e. for each node that meets all of the scheduling requirements (resource request, requiredDuringScheduling affinity expressions, etc.), compute a sum by iterating through the elements of this field and adding "weight" to the sum if the node matches the corresponding matchExpressions; the node(s) with the highest sum are the most preferred.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      requiredDuringSchedulingIgnoredDuringExecution: ['#io.k8s.api.core.v1.NodeSelector', ''],
    },
  },
  'io.k8s.api.core.v1.NodeCondition': {
    description: 'NodeCondition contains condition information for a node.',
    properties: {
      lastHeartbeatTime: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'Last time we got an update on a given condition.',
      ],
      lastTransitionTime: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'Last time the condition transit from one status to another.',
      ],
      message: ['string', 'Human readable message indicating details about last transition.'],
      reason: ['string', "(brief) reason for the condition's last transition."],
      status: ['string', 'Status of the condition, one of True, False, Unknown.'],
      type: ['string', 'Type of node condition.'],
    },
    required: ['status', 'type'],
  },
  'io.k8s.api.core.v1.NodeConfigSource': {
    description:
      'NodeConfigSource specifies a source of node configuration. Exactly one subfield (excluding metadata) must be non-nil. This API is deprecated since 1.22',
    properties: { configMap: ['#io.k8s.api.core.v1.ConfigMapNodeConfigSource', ''] },
  },
  'io.k8s.api.core.v1.NodeConfigStatus': {
    description: 'NodeConfigStatus describes the status of the config assigned by Node.Spec.ConfigSource.',
    properties: {
      active: ['#io.k8s.api.core.v1.NodeConfigSource', ''],
      assigned: ['#io.k8s.api.core.v1.NodeConfigSource', ''],
      error: [
        'string',
        'Error describes any problems reconciling the Spec.ConfigSource to the Active config. Errors may occur, for example, attempting to checkpoint Spec.ConfigSource to the local Assigned record, attempting to checkpoint the payload associated with Spec.ConfigSource, attempting to load or validate the Assigned config, etc. Errors may occur at different points while syncing config. Earlier errors (e.g. download or checkpointing errors) will not result in a rollback to LastKnownGood, and may resolve across Kubelet retries. Later errors (e.g. loading or validating a checkpointed config) will result in a rollback to LastKnownGood. In the latter case, it is usually possible to resolve the error by fixing the config assigned in Spec.ConfigSource. You can find additional information for debugging by searching the error message in the Kubelet log. Error is a human-readable description of the error state; machines can check whether or not Error is empty, but should not rely on the stability of the Error text across Kubelet versions.',
      ],
      lastKnownGood: ['#io.k8s.api.core.v1.NodeConfigSource', ''],
    },
  },
  'io.k8s.api.core.v1.NodeDaemonEndpoints': {
    description: 'NodeDaemonEndpoints lists ports opened by daemons running on the Node.',
    properties: { kubeletEndpoint: ['#io.k8s.api.core.v1.DaemonEndpoint', ''] },
  },
  'io.k8s.api.core.v1.NodeFeatures': {
    description:
      'NodeFeatures describes the set of features implemented by the CRI implementation. The features contained in the NodeFeatures should depend only on the cri implementation independent of runtime handlers.',
    properties: {
      supplementalGroupsPolicy: [
        'boolean',
        'SupplementalGroupsPolicy is set to true if the runtime supports SupplementalGroupsPolicy and ContainerUser.',
      ],
    },
  },
  'io.k8s.api.core.v1.NodeList': {
    description: 'NodeList is the whole list of all Nodes which have been registered with master.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: ['[]#io.k8s.api.core.v1.Node', 'List of nodes'],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.core.v1.NodeRuntimeHandler': {
    description: 'NodeRuntimeHandler is a set of runtime handler information.',
    properties: {
      features: ['#io.k8s.api.core.v1.NodeRuntimeHandlerFeatures', ''],
      name: ['string', 'Runtime handler name. Empty for the default runtime handler.'],
    },
  },
  'io.k8s.api.core.v1.NodeRuntimeHandlerFeatures': {
    description: 'NodeRuntimeHandlerFeatures is a set of features implemented by the runtime handler.',
    properties: {
      recursiveReadOnlyMounts: [
        'boolean',
        'RecursiveReadOnlyMounts is set to true if the runtime handler supports RecursiveReadOnlyMounts.',
      ],
      userNamespaces: [
        'boolean',
        'UserNamespaces is set to true if the runtime handler supports UserNamespaces, including for volumes.',
      ],
    },
  },
  'io.k8s.api.core.v1.NodeSelector': {
    description:
      'A node selector represents the union of the results of one or more label queries over a set of nodes; that is, it represents the OR of the selectors represented by the node selector terms.',
    properties: {
      nodeSelectorTerms: [
        '[]#io.k8s.api.core.v1.NodeSelectorTerm',
        'Required. A list of node selector terms. The terms are ORed.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
    required: ['nodeSelectorTerms'],
    extensions: { 'x-kubernetes-map-type': 'atomic' },
  },
  'io.k8s.api.core.v1.NodeSelectorRequirement': {
    description:
      'A node selector requirement is a selector that contains values, a key, and an operator that relates the key and values.',
    properties: {
      key: ['string', 'The label key that the selector applies to.'],
      operator: [
        'string',
        "Represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist. Gt, and Lt.",
      ],
      values: [
        '[]string',
        'An array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty. If the operator is Gt or Lt, the values array must have a single element, which will be interpreted as an integer. This array is replaced during a strategic merge patch.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
    required: ['key', 'operator'],
  },
  'io.k8s.api.core.v1.NodeSelectorTerm': {
    description:
      'A null or empty node selector term matches no objects. The requirements of them are ANDed. The TopologySelectorTerm type implements a subset of the NodeSelectorTerm.',
    properties: {
      matchExpressions: [
        '[]#io.k8s.api.core.v1.NodeSelectorRequirement',
        "A list of node selector requirements by node's labels.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      matchFields: [
        '[]#io.k8s.api.core.v1.NodeSelectorRequirement',
        "A list of node selector requirements by node's fields.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
    extensions: { 'x-kubernetes-map-type': 'atomic' },
  },
  'io.k8s.api.core.v1.NodeSpec': {
    description: 'NodeSpec describes the attributes that a node is created with.',
    properties: {
      configSource: ['#io.k8s.api.core.v1.NodeConfigSource', ''],
      externalID: [
        'string',
        'Deprecated. Not all kubelets will set this field. Remove field after 1.13. see: https://issues.k8s.io/61966',
      ],
      podCIDR: ['string', 'PodCIDR represents the pod IP range assigned to the node.'],
      podCIDRs: [
        '[]string',
        'podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node. If this field is specified, the 0th entry must match the podCIDR field. It may contain at most 1 value for each of IPv4 and IPv6.',
        { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
      ],
      providerID: [
        'string',
        'ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>',
      ],
      taints: [
        '[]#io.k8s.api.core.v1.Taint',
        "If specified, the node's taints.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      unschedulable: [
        'boolean',
        'Unschedulable controls node schedulability of new pods. By default, node is schedulable. More info: https://kubernetes.io/docs/concepts/nodes/node/#manual-node-administration',
      ],
    },
  },
  'io.k8s.api.core.v1.NodeStatus': {
    description: 'NodeStatus is information about the current status of a node.',
    properties: {
      addresses: [
        '[]#io.k8s.api.core.v1.NodeAddress',
        "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).",
        {
          'x-kubernetes-list-map-keys': ['type'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'type',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      allocatable: [
        '{}string',
        'Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity.',
      ],
      capacity: [
        '{}string',
        'Capacity represents the total resources of a node. More info: https://kubernetes.io/docs/reference/node/node-status/#capacity',
      ],
      conditions: [
        '[]#io.k8s.api.core.v1.NodeCondition',
        'Conditions is an array of current observed node conditions. More info: https://kubernetes.io/docs/reference/node/node-status/#condition',
        {
          'x-kubernetes-list-map-keys': ['type'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'type',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      config: ['#io.k8s.api.core.v1.NodeConfigStatus', ''],
      daemonEndpoints: ['#io.k8s.api.core.v1.NodeDaemonEndpoints', ''],
      features: ['#io.k8s.api.core.v1.NodeFeatures', ''],
      images: [
        '[]#io.k8s.api.core.v1.ContainerImage',
        'List of container images on this node',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      nodeInfo: ['#io.k8s.api.core.v1.NodeSystemInfo', ''],
      phase: [
        'string',
        'NodePhase is the recently observed lifecycle phase of the node. More info: https://kubernetes.io/docs/concepts/nodes/node/#phase The field is never populated, and now is deprecated.',
      ],
      runtimeHandlers: ['[]#io.k8s.api.core.v1.NodeRuntimeHandler', 'The available runtime handlers.'],
      volumesAttached: [
        '[]#io.k8s.api.core.v1.AttachedVolume',
        'List of volumes that are attached to the node.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      volumesInUse: [
        '[]string',
        'List of attachable volumes in use (mounted) by the node.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.core.v1.NodeSwapStatus': {
    description: 'NodeSwapStatus represents swap memory information.',
    properties: { capacity: ['integer:int64', 'Total amount of swap memory in bytes.'] },
  },
  'io.k8s.api.core.v1.NodeSystemInfo': {
    description: 'NodeSystemInfo is a set of ids/uuids to uniquely identify the node.',
    properties: {
      architecture: ['string', 'The Architecture reported by the node'],
      bootID: ['string', 'Boot ID reported by the node.'],
      containerRuntimeVersion: [
        'string',
        'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
      ],
      kernelVersion: [
        'string',
        "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
      ],
      kubeProxyVersion: ['string', 'Deprecated: KubeProxy Version reported by the node.'],
      kubeletVersion: ['string', 'Kubelet Version reported by the node.'],
      machineID: [
        'string',
        'MachineID reported by the node. For unique machine identification in the cluster this field is preferred. Learn more from man(5) machine-id: http://man7.org/linux/man-pages/man5/machine-id.5.html',
      ],
      operatingSystem: ['string', 'The Operating System reported by the node'],
      osImage: [
        'string',
        'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
      ],
      swap: ['#io.k8s.api.core.v1.NodeSwapStatus', ''],
      systemUUID: [
        'string',
        'SystemUUID reported by the node. For unique machine identification MachineID is preferred. This field is specific to Red Hat hosts https://access.redhat.com/documentation/en-us/red_hat_subscription_management/1/html/rhsm/uuid',
      ],
    },
    required: [
      'architecture',
      'bootID',
      'containerRuntimeVersion',
      'kernelVersion',
      'kubeProxyVersion',
      'kubeletVersion',
      'machineID',
      'operatingSystem',
      'osImage',
      'systemUUID',
    ],
  },
  'io.k8s.api.core.v1.ObjectFieldSelector': {
    description: 'ObjectFieldSelector selects an APIVersioned field of an object.',
    properties: {
      apiVersion: ['string', 'Version of the schema the FieldPath is written in terms of, defaults to "v1".'],
      fieldPath: ['string', 'Path of the field to select in the specified API version.'],
    },
    required: ['fieldPath'],
    extensions: { 'x-kubernetes-map-type': 'atomic' },
  },
  'io.k8s.api.core.v1.ObjectReference': {
    description:
      'ObjectReference contains enough information to let you inspect or modify the referred object.',
    properties: {
      apiVersion: ['string', 'API version of the referent.'],
      fieldPath: [
        'string',
        'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
      ],
      kind: [
        'string',
        'Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      name: [
        'string',
        'Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      ],
      namespace: [
        'string',
        'Namespace of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/',
      ],
      resourceVersion: [
        'string',
        'Specific resourceVersion to which this reference is made, if any. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency',
      ],
      uid: [
        'string',
        'UID of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#uids',
      ],
    },
    extensions: { 'x-kubernetes-map-type': 'atomic' },
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': {
    description:
      'PersistentVolumeClaimSpec describes the common attributes of storage devices and allows a Source for provider-specific attributes',
    properties: {
      accessModes: [
        '[]string',
        'accessModes contains the desired access modes the volume should have. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1',
      ],
      dataSource: ['#io.k8s.api.core.v1.TypedLocalObjectReference', ''],
      dataSourceRef: ['#io.k8s.api.core.v1.TypedObjectReference', ''],
      resources: ['#io.k8s.api.core.v1.VolumeResourceRequirements', ''],
      selector: ['#io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', ''],
      storageClassName: [
        'string',
        'storageClassName is the name of the StorageClass required by the claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#class-1',
      ],
      volumeAttributesClassName: [
        'string',
        'volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim. If specified, the CSI driver will create or update the volume with the attributes defined in the corresponding VolumeAttributesClass. This has a different purpose than storageClassName, it can be changed after the claim is created. An empty string or nil value indicates that no VolumeAttributesClass will be applied to the claim. If the claim enters an Infeasible error state, this field can be reset to its previous value (including nil) to cancel the modification. If the resource referred to by volumeAttributesClass does not exist, this PersistentVolumeClaim will be set to a Pending state, as reflected by the modifyVolumeStatus field, until such as a resource exists. More info: https://kubernetes.io/docs/concepts/storage/volume-attributes-classes/',
      ],
      volumeMode: [
        'string',
        'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.',
      ],
      volumeName: [
        'string',
        'volumeName is the binding reference to the PersistentVolume backing this claim.',
      ],
    },
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimTemplate': {
    description:
      'PersistentVolumeClaimTemplate is used to produce PersistentVolumeClaim objects as part of an EphemeralVolumeSource.',
    properties: {
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.core.v1.PersistentVolumeClaimSpec', ''],
    },
    required: ['spec'],
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource': {
    description:
      "PersistentVolumeClaimVolumeSource references the user's PVC in the same namespace. This volume finds the bound PV and mounts that volume for the pod. A PersistentVolumeClaimVolumeSource is, essentially, a wrapper around another type of volume that is owned by someone else (the system).",
    properties: {
      claimName: [
        'string',
        'claimName is the name of a PersistentVolumeClaim in the same namespace as the pod using this volume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#persistentvolumeclaims',
      ],
      readOnly: ['boolean', 'readOnly Will force the ReadOnly setting in VolumeMounts. Default false.'],
    },
    required: ['claimName'],
  },
  'io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource': {
    description: 'Represents a Photon Controller persistent disk resource.',
    properties: {
      fsType: [
        'string',
        'fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system. Ex. "ext4", "xfs", "ntfs". Implicitly inferred to be "ext4" if unspecified.',
      ],
      pdID: ['string', 'pdID is the ID that identifies Photon Controller persistent disk'],
    },
    required: ['pdID'],
  },
  'io.k8s.api.core.v1.Pod': {
    description:
      'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.core.v1.PodSpec', ''],
      status: ['#io.k8s.api.core.v1.PodStatus', ''],
    },
  },
  'io.k8s.api.core.v1.PodAffinity': {
    description: 'Pod affinity is a group of inter pod affinity scheduling rules.',
    properties: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        '[]#io.k8s.api.core.v1.WeightedPodAffinityTerm',
        'The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions. The node that is most preferred is the one with the greatest sum of weights, i.e. for each node that meets all of the scheduling requirements (resource request, requiredDuringScheduling affinity expressions, etc.), compute a sum by iterating through the elements of this field and adding "weight" to the sum if the node has pods which matches the corresponding podAffinityTerm; the node(s) with the highest sum are the most preferred.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      requiredDuringSchedulingIgnoredDuringExecution: [
        '[]#io.k8s.api.core.v1.PodAffinityTerm',
        'If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node. If the affinity requirements specified by this field cease to be met at some point during pod execution (e.g. due to a pod label update), the system may or may not try to eventually evict the pod from its node. When there are multiple elements, the lists of nodes corresponding to each podAffinityTerm are intersected, i.e. all terms must be satisfied.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.core.v1.PodAffinityTerm': {
    description:
      'Defines a set of pods (namely those matching the labelSelector relative to the given namespace(s)) that this pod should be co-located (affinity) or not co-located (anti-affinity) with, where co-located is defined as running on a node whose value of the label with key <topologyKey> matches that of any node on which a pod of the set of pods is running',
    properties: {
      labelSelector: ['#io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', ''],
      matchLabelKeys: [
        '[]string',
        "MatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration. The keys are used to lookup values from the incoming pod labels, those key-value labels are merged with `labelSelector` as `key in (value)` to select the group of existing pods which pods will be taken into consideration for the incoming pod's pod (anti) affinity. Keys that don't exist in the incoming pod labels will be ignored. The default value is empty. The same key is forbidden to exist in both matchLabelKeys and labelSelector. Also, matchLabelKeys cannot be set when labelSelector isn't set.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      mismatchLabelKeys: [
        '[]string',
        "MismatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration. The keys are used to lookup values from the incoming pod labels, those key-value labels are merged with `labelSelector` as `key notin (value)` to select the group of existing pods which pods will be taken into consideration for the incoming pod's pod (anti) affinity. Keys that don't exist in the incoming pod labels will be ignored. The default value is empty. The same key is forbidden to exist in both mismatchLabelKeys and labelSelector. Also, mismatchLabelKeys cannot be set when labelSelector isn't set.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      namespaceSelector: ['#io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', ''],
      namespaces: [
        '[]string',
        'namespaces specifies a static list of namespace names that the term applies to. The term is applied to the union of the namespaces listed in this field and the ones selected by namespaceSelector. null or empty namespaces list and null namespaceSelector means "this pod\'s namespace".',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      topologyKey: [
        'string',
        'This pod should be co-located (affinity) or not co-located (anti-affinity) with the pods matching the labelSelector in the specified namespaces, where co-located is defined as running on a node whose value of the label with key topologyKey matches that of any node on which any of the selected pods is running. Empty topologyKey is not allowed.',
      ],
    },
    required: ['topologyKey'],
  },
  'io.k8s.api.core.v1.PodAntiAffinity': {
    description: 'Pod anti affinity is a group of inter pod anti affinity scheduling rules.',
    properties: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        '[]#io.k8s.api.core.v1.WeightedPodAffinityTerm',
        'The scheduler will prefer to schedule pods to nodes that satisfy the anti-affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions. The node that is most preferred is the one with the greatest sum of weights, i.e. for each node that meets all of the scheduling requirements (resource request, requiredDuringScheduling anti-affinity expressions, etc.), compute a sum by iterating through the elements of this field and subtracting "weight" from the sum if the node has pods which matches the corresponding podAffinityTerm; the node(s) with the highest sum are the most preferred.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      requiredDuringSchedulingIgnoredDuringExecution: [
        '[]#io.k8s.api.core.v1.PodAffinityTerm',
        'If the anti-affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node. If the anti-affinity requirements specified by this field cease to be met at some point during pod execution (e.g. due to a pod label update), the system may or may not try to eventually evict the pod from its node. When there are multiple elements, the lists of nodes corresponding to each podAffinityTerm are intersected, i.e. all terms must be satisfied.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.core.v1.PodCertificateProjection': {
    description:
      'PodCertificateProjection provides a private key and X.509 certificate in the pod filesystem.',
    properties: {
      certificateChainPath: [
        'string',
        'Write the certificate chain at this path in the projected volume.  Most applications should use credentialBundlePath.  When using keyPath and certificateChainPath, your application needs to check that the key and leaf certificate are consistent, because it is possible to read the files mid-rotation.',
      ],
      credentialBundlePath: [
        'string',
        "Write the credential bundle at this path in the projected volume.  The credential bundle is a single file that contains multiple PEM blocks. The first PEM block is a PRIVATE KEY block, containing a PKCS#8 private key.  The remaining blocks are CERTIFICATE blocks, containing the issued certificate chain from the signer (leaf and any intermediates).  Using credentialBundlePath lets your Pod's application code make a single atomic read that retrieves a consistent key and certificate chain.  If you project them to separate files, your application code will need to additionally check that the leaf certificate was issued to the key.",
      ],
      keyPath: [
        'string',
        'Write the key at this path in the projected volume.  Most applications should use credentialBundlePath.  When using keyPath and certificateChainPath, your application needs to check that the key and leaf certificate are consistent, because it is possible to read the files mid-rotation.',
      ],
      keyType: [
        'string',
        'The type of keypair Kubelet will generate for the pod.  Valid values are "RSA3072", "RSA4096", "ECDSAP256", "ECDSAP384", "ECDSAP521", and "ED25519".',
      ],
      maxExpirationSeconds: [
        'integer:int32',
        'maxExpirationSeconds is the maximum lifetime permitted for the certificate.  Kubelet copies this value verbatim into the PodCertificateRequests it generates for this projection.  If omitted, kube-apiserver will set it to 86400(24 hours). kube-apiserver will reject values shorter than 3600 (1 hour).  The maximum allowable value is 7862400 (91 days).  The signer implementation is then free to issue a certificate with any lifetime *shorter* than MaxExpirationSeconds, but no shorter than 3600 seconds (1 hour).  This constraint is enforced by kube-apiserver. `kubernetes.io` signers will never issue certificates with a lifetime longer than 24 hours.',
      ],
      signerName: ['string', "Kubelet's generated CSRs will be addressed to this signer."],
    },
    required: ['keyType', 'signerName'],
  },
  'io.k8s.api.core.v1.PodCondition': {
    description: 'PodCondition contains details for the current condition of this pod.',
    properties: {
      lastProbeTime: ['#io.k8s.apimachinery.pkg.apis.meta.v1.Time', 'Last time we probed the condition.'],
      lastTransitionTime: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'Last time the condition transitioned from one status to another.',
      ],
      message: ['string', 'Human-readable message indicating details about last transition.'],
      observedGeneration: [
        'integer:int64',
        'If set, this represents the .metadata.generation that the pod condition was set based upon. This is an alpha field. Enable PodObservedGenerationTracking to be able to use this field.',
      ],
      reason: ['string', "Unique, one-word, CamelCase reason for the condition's last transition."],
      status: [
        'string',
        'Status is the status of the condition. Can be True, False, Unknown. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions',
      ],
      type: [
        'string',
        'Type is the type of the condition. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions',
      ],
    },
    required: ['status', 'type'],
  },
  'io.k8s.api.core.v1.PodDNSConfig': {
    description:
      'PodDNSConfig defines the DNS parameters of a pod in addition to those generated from DNSPolicy.',
    properties: {
      nameservers: [
        '[]string',
        'A list of DNS name server IP addresses. This will be appended to the base nameservers generated from DNSPolicy. Duplicated nameservers will be removed.',
      ],
      options: [
        '[]#io.k8s.api.core.v1.PodDNSConfigOption',
        'A list of DNS resolver options. This will be merged with the base options generated from DNSPolicy. Duplicated entries will be removed. Resolution options given in Options will override those that appear in the base DNSPolicy.',
      ],
      searches: [
        '[]string',
        'A list of DNS search domains for host-name lookup. This will be appended to the base search paths generated from DNSPolicy. Duplicated search paths will be removed.',
      ],
    },
  },
  'io.k8s.api.core.v1.PodDNSConfigOption': {
    description: 'PodDNSConfigOption defines DNS resolver options of a pod.',
    properties: {
      name: ['string', "Name is this DNS resolver option's name. Required."],
      value: ['string', "Value is this DNS resolver option's value."],
    },
  },
  'io.k8s.api.core.v1.PodExtendedResourceClaimStatus': {
    description:
      'PodExtendedResourceClaimStatus is stored in the PodStatus for the extended resource requests backed by DRA. It stores the generated name for the corresponding special ResourceClaim created by the scheduler.',
    properties: {
      requestMappings: [
        '[]#io.k8s.api.core.v1.ContainerExtendedResourceRequest',
        'RequestMappings identifies the mapping of <container, extended resource backed by DRA> to  device request in the generated ResourceClaim.',
      ],
      resourceClaimName: [
        'string',
        'ResourceClaimName is the name of the ResourceClaim that was generated for the Pod in the namespace of the Pod.',
      ],
    },
    required: ['requestMappings', 'resourceClaimName'],
  },
  'io.k8s.api.core.v1.PodIP': {
    description: 'PodIP represents a single IP address allocated to the pod.',
    properties: { ip: ['string', 'IP is the IP address assigned to the pod'] },
    required: ['ip'],
  },
  'io.k8s.api.core.v1.PodList': {
    description: 'PodList is a list of Pods.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: [
        '[]#io.k8s.api.core.v1.Pod',
        'List of pods. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.core.v1.PodOS': {
    description: 'PodOS defines the OS parameters of a pod.',
    properties: {
      name: [
        'string',
        'Name is the name of the operating system. The currently supported values are linux and windows. Additional value may be defined in future and can be one of: https://github.com/opencontainers/runtime-spec/blob/master/config.md#platform-specific-configuration Clients should expect to handle additional values and treat unrecognized values in this field as os: null',
      ],
    },
    required: ['name'],
  },
  'io.k8s.api.core.v1.PodReadinessGate': {
    description: 'PodReadinessGate contains the reference to a pod condition',
    properties: {
      conditionType: [
        'string',
        "ConditionType refers to a condition in the pod's condition list with matching type.",
      ],
    },
    required: ['conditionType'],
  },
  'io.k8s.api.core.v1.PodResourceClaim': {
    description:
      'PodResourceClaim references exactly one ResourceClaim, either directly or by naming a ResourceClaimTemplate which is then turned into a ResourceClaim for the pod.  It adds a name to it that uniquely identifies the ResourceClaim inside the Pod. Containers that need access to the ResourceClaim reference it with this name.',
    properties: {
      name: [
        'string',
        'Name uniquely identifies this resource claim inside the pod. This must be a DNS_LABEL.',
      ],
      resourceClaimName: [
        'string',
        'ResourceClaimName is the name of a ResourceClaim object in the same namespace as this pod.  Exactly one of ResourceClaimName and ResourceClaimTemplateName must be set.',
      ],
      resourceClaimTemplateName: [
        'string',
        'ResourceClaimTemplateName is the name of a ResourceClaimTemplate object in the same namespace as this pod.  The template will be used to create a new ResourceClaim, which will be bound to this pod. When this pod is deleted, the ResourceClaim will also be deleted. The pod name and resource name, along with a generated component, will be used to form a unique name for the ResourceClaim, which will be recorded in pod.status.resourceClaimStatuses.  This field is immutable and no changes will be made to the corresponding ResourceClaim by the control plane after creating the ResourceClaim.  Exactly one of ResourceClaimName and ResourceClaimTemplateName must be set.',
      ],
    },
    required: ['name'],
  },
  'io.k8s.api.core.v1.PodResourceClaimStatus': {
    description:
      'PodResourceClaimStatus is stored in the PodStatus for each PodResourceClaim which references a ResourceClaimTemplate. It stores the generated name for the corresponding ResourceClaim.',
    properties: {
      name: [
        'string',
        'Name uniquely identifies this resource claim inside the pod. This must match the name of an entry in pod.spec.resourceClaims, which implies that the string must be a DNS_LABEL.',
      ],
      resourceClaimName: [
        'string',
        'ResourceClaimName is the name of the ResourceClaim that was generated for the Pod in the namespace of the Pod. If this is unset, then generating a ResourceClaim was not necessary. The pod.spec.resourceClaims entry can be ignored in this case.',
      ],
    },
    required: ['name'],
  },
  'io.k8s.api.core.v1.PodSchedulingGate': {
    description: 'PodSchedulingGate is associated to a Pod to guard its scheduling.',
    properties: {
      name: ['string', 'Name of the scheduling gate. Each scheduling gate must have a unique name field.'],
    },
    required: ['name'],
  },
  'io.k8s.api.core.v1.PodSecurityContext': {
    description:
      'PodSecurityContext holds pod-level security attributes and common container settings. Some fields are also present in container.securityContext.  Field values of container.securityContext take precedence over field values of PodSecurityContext.',
    properties: {
      appArmorProfile: ['#io.k8s.api.core.v1.AppArmorProfile', ''],
      fsGroup: [
        'integer:int64',
        "A special supplemental group that applies to all containers in a pod. Some volume types allow the Kubelet to change the ownership of that volume to be owned by the pod:  1. The owning GID will be the FSGroup 2. The setgid bit is set (new files created in the volume will be owned by FSGroup) 3. The permission bits are OR'd with rw-rw----  If unset, the Kubelet will not modify the ownership and permissions of any volume. Note that this field cannot be set when spec.os.name is windows.",
      ],
      fsGroupChangePolicy: [
        'string',
        'fsGroupChangePolicy defines behavior of changing ownership and permission of the volume before being exposed inside Pod. This field will only apply to volume types which support fsGroup based ownership(and permissions). It will have no effect on ephemeral volume types such as: secret, configmaps and emptydir. Valid values are "OnRootMismatch" and "Always". If not specified, "Always" is used. Note that this field cannot be set when spec.os.name is windows.',
      ],
      runAsGroup: [
        'integer:int64',
        'The GID to run the entrypoint of the container process. Uses runtime default if unset. May also be set in SecurityContext.  If set in both SecurityContext and PodSecurityContext, the value specified in SecurityContext takes precedence for that container. Note that this field cannot be set when spec.os.name is windows.',
      ],
      runAsNonRoot: [
        'boolean',
        'Indicates that the container must run as a non-root user. If true, the Kubelet will validate the image at runtime to ensure that it does not run as UID 0 (root) and fail to start the container if it does. If unset or false, no such validation will be performed. May also be set in SecurityContext.  If set in both SecurityContext and PodSecurityContext, the value specified in SecurityContext takes precedence.',
      ],
      runAsUser: [
        'integer:int64',
        'The UID to run the entrypoint of the container process. Defaults to user specified in image metadata if unspecified. May also be set in SecurityContext.  If set in both SecurityContext and PodSecurityContext, the value specified in SecurityContext takes precedence for that container. Note that this field cannot be set when spec.os.name is windows.',
      ],
      seLinuxChangePolicy: [
        'string',
        'seLinuxChangePolicy defines how the container\'s SELinux label is applied to all volumes used by the Pod. It has no effect on nodes that do not support SELinux or to volumes does not support SELinux. Valid values are "MountOption" and "Recursive".  "Recursive" means relabeling of all files on all Pod volumes by the container runtime. This may be slow for large volumes, but allows mixing privileged and unprivileged Pods sharing the same volume on the same node.  "MountOption" mounts all eligible Pod volumes with `-o context` mount option. This requires all Pods that share the same volume to use the same SELinux label. It is not possible to share the same volume among privileged and unprivileged Pods. Eligible volumes are in-tree FibreChannel and iSCSI volumes, and all CSI volumes whose CSI driver announces SELinux support by setting spec.seLinuxMount: true in their CSIDriver instance. Other volumes are always re-labelled recursively. "MountOption" value is allowed only when SELinuxMount feature gate is enabled.  If not specified and SELinuxMount feature gate is enabled, "MountOption" is used. If not specified and SELinuxMount feature gate is disabled, "MountOption" is used for ReadWriteOncePod volumes and "Recursive" for all other volumes.  This field affects only Pods that have SELinux label set, either in PodSecurityContext or in SecurityContext of all containers.  All Pods that use the same volume should use the same seLinuxChangePolicy, otherwise some pods can get stuck in ContainerCreating state. Note that this field cannot be set when spec.os.name is windows.',
      ],
      seLinuxOptions: ['#io.k8s.api.core.v1.SELinuxOptions', ''],
      seccompProfile: ['#io.k8s.api.core.v1.SeccompProfile', ''],
      supplementalGroups: [
        '[]integer:int64',
        "A list of groups applied to the first process run in each container, in addition to the container's primary GID and fsGroup (if specified).  If the SupplementalGroupsPolicy feature is enabled, the supplementalGroupsPolicy field determines whether these are in addition to or instead of any group memberships defined in the container image. If unspecified, no additional groups are added, though group memberships defined in the container image may still be used, depending on the supplementalGroupsPolicy field. Note that this field cannot be set when spec.os.name is windows.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      supplementalGroupsPolicy: [
        'string',
        'Defines how supplemental groups of the first container processes are calculated. Valid values are "Merge" and "Strict". If not specified, "Merge" is used. (Alpha) Using the field requires the SupplementalGroupsPolicy feature gate to be enabled and the container runtime must implement support for this feature. Note that this field cannot be set when spec.os.name is windows.',
      ],
      sysctls: [
        '[]#io.k8s.api.core.v1.Sysctl',
        'Sysctls hold a list of namespaced sysctls used for the pod. Pods with unsupported sysctls (by the container runtime) might fail to launch. Note that this field cannot be set when spec.os.name is windows.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      windowsOptions: ['#io.k8s.api.core.v1.WindowsSecurityContextOptions', ''],
    },
  },
  'io.k8s.api.core.v1.PodSpec': {
    description: 'PodSpec is a description of a pod.',
    properties: {
      activeDeadlineSeconds: [
        'integer:int64',
        'Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers. Value must be a positive integer.',
      ],
      affinity: ['#io.k8s.api.core.v1.Affinity', ''],
      automountServiceAccountToken: [
        'boolean',
        'AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.',
      ],
      containers: [
        '[]#io.k8s.api.core.v1.Container',
        'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.',
        {
          'x-kubernetes-list-map-keys': ['name'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      dnsConfig: ['#io.k8s.api.core.v1.PodDNSConfig', ''],
      dnsPolicy: [
        'string',
        "Set DNS policy for the pod. Defaults to \"ClusterFirst\". Valid values are 'ClusterFirstWithHostNet', 'ClusterFirst', 'Default' or 'None'. DNS parameters given in DNSConfig will be merged with the policy selected with DNSPolicy. To have DNS options set along with hostNetwork, you have to specify DNS policy explicitly to 'ClusterFirstWithHostNet'.",
      ],
      enableServiceLinks: [
        'boolean',
        "EnableServiceLinks indicates whether information about services should be injected into pod's environment variables, matching the syntax of Docker links. Optional: Defaults to true.",
      ],
      ephemeralContainers: [
        '[]#io.k8s.api.core.v1.EphemeralContainer',
        "List of ephemeral containers run in this pod. Ephemeral containers may be run in an existing pod to perform user-initiated actions such as debugging. This list cannot be specified when creating a pod, and it cannot be modified by updating the pod spec. In order to add an ephemeral container to an existing pod, use the pod's ephemeralcontainers subresource.",
        {
          'x-kubernetes-list-map-keys': ['name'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      hostAliases: [
        '[]#io.k8s.api.core.v1.HostAlias',
        "HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file if specified.",
        {
          'x-kubernetes-list-map-keys': ['ip'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'ip',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      hostIPC: ['boolean', "Use the host's ipc namespace. Optional: Default to false."],
      hostNetwork: [
        'boolean',
        "Host networking requested for this pod. Use the host's network namespace. When using HostNetwork you should specify ports so the scheduler is aware. When `hostNetwork` is true, specified `hostPort` fields in port definitions must match `containerPort`, and unspecified `hostPort` fields in port definitions are defaulted to match `containerPort`. Default to false.",
      ],
      hostPID: ['boolean', "Use the host's pid namespace. Optional: Default to false."],
      hostUsers: [
        'boolean',
        "Use the host's user namespace. Optional: Default to true. If set to true or not present, the pod will be run in the host user namespace, useful for when the pod needs a feature only available to the host user namespace, such as loading a kernel module with CAP_SYS_MODULE. When set to false, a new userns is created for the pod. Setting false is useful for mitigating container breakout vulnerabilities even allowing users to run their containers as root without actually having root privileges on the host. This field is alpha-level and is only honored by servers that enable the UserNamespacesSupport feature.",
      ],
      hostname: [
        'string',
        "Specifies the hostname of the Pod If not specified, the pod's hostname will be set to a system-defined value.",
      ],
      hostnameOverride: [
        'string',
        "HostnameOverride specifies an explicit override for the pod's hostname as perceived by the pod. This field only specifies the pod's hostname and does not affect its DNS records. When this field is set to a non-empty string: - It takes precedence over the values set in `hostname` and `subdomain`. - The Pod's hostname will be set to this value. - `setHostnameAsFQDN` must be nil or set to false. - `hostNetwork` must be set to false.  This field must be a valid DNS subdomain as defined in RFC 1123 and contain at most 64 characters. Requires the HostnameOverride feature gate to be enabled.",
      ],
      imagePullSecrets: [
        '[]#io.k8s.api.core.v1.LocalObjectReference',
        'ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec. If specified, these secrets will be passed to individual puller implementations for them to use. More info: https://kubernetes.io/docs/concepts/containers/images#specifying-imagepullsecrets-on-a-pod',
        {
          'x-kubernetes-list-map-keys': ['name'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      initContainers: [
        '[]#io.k8s.api.core.v1.Container',
        'List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started. If any init container fails, the pod is considered to have failed and is handled according to its restartPolicy. The name for an init container or normal container must be unique among all containers. Init containers may not have Lifecycle actions, Readiness probes, Liveness probes, or Startup probes. The resourceRequirements of an init container are taken into account during scheduling by finding the highest request/limit for each resource type, and then using the max of that value or the sum of the normal containers. Limits are applied to init containers in a similar fashion. Init containers cannot currently be added or removed. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/init-containers/',
        {
          'x-kubernetes-list-map-keys': ['name'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      nodeName: [
        'string',
        'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
      ],
      nodeSelector: [
        '{}string',
        "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
        { 'x-kubernetes-map-type': 'atomic' },
      ],
      os: ['#io.k8s.api.core.v1.PodOS', ''],
      overhead: [
        '{}string',
        'Overhead represents the resource overhead associated with running a pod for a given RuntimeClass. This field will be autopopulated at admission time by the RuntimeClass admission controller. If the RuntimeClass admission controller is enabled, overhead must not be set in Pod create requests. The RuntimeClass admission controller will reject Pod create requests which have the overhead already set. If RuntimeClass is configured and selected in the PodSpec, Overhead will be set to the value defined in the corresponding RuntimeClass, otherwise it will remain unset and treated as zero. More info: https://git.k8s.io/enhancements/keps/sig-node/688-pod-overhead/README.md',
      ],
      preemptionPolicy: [
        'string',
        'PreemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.',
      ],
      priority: [
        'integer:int32',
        'The priority value. Various system components use this field to find the priority of the pod. When Priority Admission Controller is enabled, it prevents users from setting this field. The admission controller populates this field from PriorityClassName. The higher the value, the higher the priority.',
      ],
      priorityClassName: [
        'string',
        'If specified, indicates the pod\'s priority. "system-node-critical" and "system-cluster-critical" are two special keywords which indicate the highest priorities with the former being the highest priority. Any other name must be defined by creating a PriorityClass object with that name. If not specified, the pod priority will be default or zero if there is no default.',
      ],
      readinessGates: [
        '[]#io.k8s.api.core.v1.PodReadinessGate',
        'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      resourceClaims: [
        '[]#io.k8s.api.core.v1.PodResourceClaim',
        'ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start. The resources will be made available to those containers which consume them by name.  This is an alpha field and requires enabling the DynamicResourceAllocation feature gate.  This field is immutable.',
        {
          'x-kubernetes-list-map-keys': ['name'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge,retainKeys',
        },
      ],
      resources: ['#io.k8s.api.core.v1.ResourceRequirements', ''],
      restartPolicy: [
        'string',
        'Restart policy for all containers within the pod. One of Always, OnFailure, Never. In some contexts, only a subset of those values may be permitted. Default to Always. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy',
      ],
      runtimeClassName: [
        'string',
        'RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod.  If no RuntimeClass resource matches the named class, the pod will not be run. If unset or empty, the "legacy" RuntimeClass will be used, which is an implicit class with an empty definition that uses the default runtime handler. More info: https://git.k8s.io/enhancements/keps/sig-node/585-runtime-class',
      ],
      schedulerName: [
        'string',
        'If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler.',
      ],
      schedulingGates: [
        '[]#io.k8s.api.core.v1.PodSchedulingGate',
        'SchedulingGates is an opaque list of values that if specified will block scheduling the pod. If schedulingGates is not empty, the pod will stay in the SchedulingGated state and the scheduler will not attempt to schedule the pod.  SchedulingGates can only be set at pod creation time, and be removed only afterwards.',
        {
          'x-kubernetes-list-map-keys': ['name'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      securityContext: ['#io.k8s.api.core.v1.PodSecurityContext', ''],
      serviceAccount: [
        'string',
        'DeprecatedServiceAccount is a deprecated alias for ServiceAccountName. Deprecated: Use serviceAccountName instead.',
      ],
      serviceAccountName: [
        'string',
        'ServiceAccountName is the name of the ServiceAccount to use to run this pod. More info: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/',
      ],
      setHostnameAsFQDN: [
        'boolean',
        "If true the pod's hostname will be configured as the pod's FQDN, rather than the leaf name (the default). In Linux containers, this means setting the FQDN in the hostname field of the kernel (the nodename field of struct utsname). In Windows containers, this means setting the registry value of hostname for the registry key HKEY_LOCAL_MACHINE\\\\SYSTEM\\\\CurrentControlSet\\\\Services\\\\Tcpip\\\\Parameters to FQDN. If a pod does not have FQDN, this has no effect. Default to false.",
      ],
      shareProcessNamespace: [
        'boolean',
        'Share a single process namespace between all of the containers in a pod. When this is set containers will be able to view and signal processes from other containers in the same pod, and the first process in each container will not be assigned PID 1. HostPID and ShareProcessNamespace cannot both be set. Optional: Default to false.',
      ],
      subdomain: [
        'string',
        'If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>". If not specified, the pod will not have a domainname at all.',
      ],
      terminationGracePeriodSeconds: [
        'integer:int64',
        'Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). If this value is nil, the default grace period will be used instead. The grace period is the duration in seconds after the processes running in the pod are sent a termination signal and the time when the processes are forcibly halted with a kill signal. Set this value longer than the expected cleanup time for your process. Defaults to 30 seconds.',
      ],
      tolerations: [
        '[]#io.k8s.api.core.v1.Toleration',
        "If specified, the pod's tolerations.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      topologySpreadConstraints: [
        '[]#io.k8s.api.core.v1.TopologySpreadConstraint',
        'TopologySpreadConstraints describes how a group of pods ought to spread across topology domains. Scheduler will schedule pods in a way which abides by the constraints. All topologySpreadConstraints are ANDed.',
        {
          'x-kubernetes-list-map-keys': ['topologyKey', 'whenUnsatisfiable'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'topologyKey',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      volumes: [
        '[]#io.k8s.api.core.v1.Volume',
        'List of volumes that can be mounted by containers belonging to the pod. More info: https://kubernetes.io/docs/concepts/storage/volumes',
        {
          'x-kubernetes-list-map-keys': ['name'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge,retainKeys',
        },
      ],
    },
    required: ['containers'],
  },
  'io.k8s.api.core.v1.PodStatus': {
    description:
      'PodStatus represents information about the status of a pod. Status may trail the actual state of a system, especially if the node that hosts the pod cannot contact the control plane.',
    properties: {
      conditions: [
        '[]#io.k8s.api.core.v1.PodCondition',
        'Current service state of pod. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions',
        {
          'x-kubernetes-list-map-keys': ['type'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'type',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      containerStatuses: [
        '[]#io.k8s.api.core.v1.ContainerStatus',
        'Statuses of containers in this pod. Each container in the pod should have at most one status in this list, and all statuses should be for containers in the pod. However this is not enforced. If a status for a non-existent container is present in the list, or the list has duplicate names, the behavior of various Kubernetes components is not defined and those statuses might be ignored. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-and-container-status',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      ephemeralContainerStatuses: [
        '[]#io.k8s.api.core.v1.ContainerStatus',
        'Statuses for any ephemeral containers that have run in this pod. Each ephemeral container in the pod should have at most one status in this list, and all statuses should be for containers in the pod. However this is not enforced. If a status for a non-existent container is present in the list, or the list has duplicate names, the behavior of various Kubernetes components is not defined and those statuses might be ignored. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-and-container-status',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      extendedResourceClaimStatus: ['#io.k8s.api.core.v1.PodExtendedResourceClaimStatus', ''],
      hostIP: [
        'string',
        'hostIP holds the IP address of the host to which the pod is assigned. Empty if the pod has not started yet. A pod can be assigned to a node that has a problem in kubelet which in turns mean that HostIP will not be updated even if there is a node is assigned to pod',
      ],
      hostIPs: [
        '[]#io.k8s.api.core.v1.HostIP',
        'hostIPs holds the IP addresses allocated to the host. If this field is specified, the first entry must match the hostIP field. This list is empty if the pod has not started yet. A pod can be assigned to a node that has a problem in kubelet which in turns means that HostIPs will not be updated even if there is a node is assigned to this pod.',
        {
          'x-kubernetes-list-type': 'atomic',
          'x-kubernetes-patch-merge-key': 'ip',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      initContainerStatuses: [
        '[]#io.k8s.api.core.v1.ContainerStatus',
        'Statuses of init containers in this pod. The most recent successful non-restartable init container will have ready = true, the most recently started container will have startTime set. Each init container in the pod should have at most one status in this list, and all statuses should be for containers in the pod. However this is not enforced. If a status for a non-existent container is present in the list, or the list has duplicate names, the behavior of various Kubernetes components is not defined and those statuses might be ignored. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-and-container-status',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      message: [
        'string',
        'A human readable message indicating details about why the pod is in this condition.',
      ],
      nominatedNodeName: [
        'string',
        'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
      ],
      observedGeneration: [
        'integer:int64',
        'If set, this represents the .metadata.generation that the pod status was set based upon. This is an alpha field. Enable PodObservedGenerationTracking to be able to use this field.',
      ],
      phase: [
        'string',
        "The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle. The conditions array, the reason and message fields, and the individual container status arrays contain more detail about the pod's status. There are five possible phase values:  Pending: The pod has been accepted by the Kubernetes system, but one or more of the container images has not been created. This includes time before being scheduled as well as time spent downloading images over the network, which could take a while. Running: The pod has been bound to a node, and all of the containers have been created. At least one container is still running, or is in the process of starting or restarting. Succeeded: All containers in the pod have terminated in success, and will not be restarted. Failed: All containers in the pod have terminated, and at least one container has terminated in failure. The container either exited with non-zero status or was terminated by the system. Unknown: For some reason the state of the pod could not be obtained, typically due to an error in communicating with the host of the pod.  More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-phase",
      ],
      podIP: [
        'string',
        'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
      ],
      podIPs: [
        '[]#io.k8s.api.core.v1.PodIP',
        'podIPs holds the IP addresses allocated to the pod. If this field is specified, the 0th entry must match the podIP field. Pods may be allocated at most 1 value for each of IPv4 and IPv6. This list is empty if no IPs have been allocated yet.',
        {
          'x-kubernetes-list-map-keys': ['ip'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'ip',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      qosClass: [
        'string',
        'The Quality of Service (QOS) classification assigned to the pod based on resource requirements See PodQOSClass type for available QOS classes More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/#quality-of-service-classes',
      ],
      reason: [
        'string',
        "A brief CamelCase message indicating details about why the pod is in this state. e.g. 'Evicted'",
      ],
      resize: [
        'string',
        'Status of resources resize desired for pod\'s containers. It is empty if no resources resize is pending. Any changes to container resources will automatically set this to "Proposed" Deprecated: Resize status is moved to two pod conditions PodResizePending and PodResizeInProgress. PodResizePending will track states where the spec has been resized, but the Kubelet has not yet allocated the resources. PodResizeInProgress will track in-progress resizes, and should be present whenever allocated resources != acknowledged resources.',
      ],
      resourceClaimStatuses: [
        '[]#io.k8s.api.core.v1.PodResourceClaimStatus',
        'Status of resource claims.',
        {
          'x-kubernetes-list-map-keys': ['name'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge,retainKeys',
        },
      ],
      startTime: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'RFC 3339 date and time at which the object was acknowledged by the Kubelet. This is before the Kubelet pulled the container image(s) for the pod.',
      ],
    },
  },
  'io.k8s.api.core.v1.PodTemplateSpec': {
    description: 'PodTemplateSpec describes the data a pod should have when created from a template',
    properties: {
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.core.v1.PodSpec', ''],
    },
  },
  'io.k8s.api.core.v1.PortStatus': {
    description: 'PortStatus represents the error condition of a service port',
    properties: {
      error: [
        'string',
        'Error is to record the problem with the service port The format of the error shall comply with the following rules: - built-in error values shall be specified in this file and those shall use   CamelCase names - cloud provider specific error values must have names that comply with the   format foo.example.com/CamelCase.',
      ],
      port: ['integer:int32', 'Port is the port number of the service port of which status is recorded here'],
      protocol: [
        'string',
        'Protocol is the protocol of the service port of which status is recorded here The supported values are: "TCP", "UDP", "SCTP"',
      ],
    },
    required: ['port', 'protocol'],
  },
  'io.k8s.api.core.v1.PortworxVolumeSource': {
    description: 'PortworxVolumeSource represents a Portworx volume resource.',
    properties: {
      fsType: [
        'string',
        'fSType represents the filesystem type to mount Must be a filesystem type supported by the host operating system. Ex. "ext4", "xfs". Implicitly inferred to be "ext4" if unspecified.',
      ],
      readOnly: [
        'boolean',
        'readOnly defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ],
      volumeID: ['string', 'volumeID uniquely identifies a Portworx volume'],
    },
    required: ['volumeID'],
  },
  'io.k8s.api.core.v1.PreferredSchedulingTerm': {
    description:
      "An empty preferred scheduling term matches all objects with implicit weight 0 (i.e. it's a no-op). A null preferred scheduling term matches no objects (i.e. is also a no-op).",
    properties: {
      preference: ['#io.k8s.api.core.v1.NodeSelectorTerm', ''],
      weight: [
        'integer:int32',
        'Weight associated with matching the corresponding nodeSelectorTerm, in the range 1-100.',
      ],
    },
    required: ['preference', 'weight'],
  },
  'io.k8s.api.core.v1.Probe': {
    description:
      'Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.',
    properties: {
      exec: ['#io.k8s.api.core.v1.ExecAction', ''],
      failureThreshold: [
        'integer:int32',
        'Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.',
      ],
      grpc: ['#io.k8s.api.core.v1.GRPCAction', ''],
      httpGet: ['#io.k8s.api.core.v1.HTTPGetAction', ''],
      initialDelaySeconds: [
        'integer:int32',
        'Number of seconds after the container has started before liveness probes are initiated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes',
      ],
      periodSeconds: [
        'integer:int32',
        'How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.',
      ],
      successThreshold: [
        'integer:int32',
        'Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1. Must be 1 for liveness and startup. Minimum value is 1.',
      ],
      tcpSocket: ['#io.k8s.api.core.v1.TCPSocketAction', ''],
      terminationGracePeriodSeconds: [
        'integer:int64',
        "Optional duration in seconds the pod needs to terminate gracefully upon probe failure. The grace period is the duration in seconds after the processes running in the pod are sent a termination signal and the time when the processes are forcibly halted with a kill signal. Set this value longer than the expected cleanup time for your process. If this value is nil, the pod's terminationGracePeriodSeconds will be used. Otherwise, this value overrides the value provided by the pod spec. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). This is a beta field and requires enabling ProbeTerminationGracePeriod feature gate. Minimum value is 1. spec.terminationGracePeriodSeconds is used if unset.",
      ],
      timeoutSeconds: [
        'integer:int32',
        'Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes',
      ],
    },
  },
  'io.k8s.api.core.v1.ProjectedVolumeSource': {
    description: 'Represents a projected volume source',
    properties: {
      defaultMode: [
        'integer:int32',
        'defaultMode are the mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. Directories within the path are not affected by this setting. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.',
      ],
      sources: [
        '[]#io.k8s.api.core.v1.VolumeProjection',
        'sources is the list of volume projections. Each entry in this list handles one source.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.core.v1.QuobyteVolumeSource': {
    description:
      'Represents a Quobyte mount that lasts the lifetime of a pod. Quobyte volumes do not support ownership management or SELinux relabeling.',
    properties: {
      group: ['string', 'group to map volume access to Default is no group'],
      readOnly: [
        'boolean',
        'readOnly here will force the Quobyte volume to be mounted with read-only permissions. Defaults to false.',
      ],
      registry: [
        'string',
        'registry represents a single or multiple Quobyte Registry services specified as a string as host:port pair (multiple entries are separated with commas) which acts as the central registry for volumes',
      ],
      tenant: [
        'string',
        'tenant owning the given Quobyte volume in the Backend Used with dynamically provisioned Quobyte volumes, value is set by the plugin',
      ],
      user: ['string', 'user to map volume access to Defaults to serivceaccount user'],
      volume: ['string', 'volume is a string that references an already created Quobyte volume by name.'],
    },
    required: ['registry', 'volume'],
  },
  'io.k8s.api.core.v1.RBDVolumeSource': {
    description:
      'Represents a Rados Block Device mount that lasts the lifetime of a pod. RBD volumes support ownership management and SELinux relabeling.',
    properties: {
      fsType: [
        'string',
        'fsType is the filesystem type of the volume that you want to mount. Tip: Ensure that the filesystem type is supported by the host operating system. Examples: "ext4", "xfs", "ntfs". Implicitly inferred to be "ext4" if unspecified. More info: https://kubernetes.io/docs/concepts/storage/volumes#rbd',
      ],
      image: [
        'string',
        'image is the rados image name. More info: https://examples.k8s.io/volumes/rbd/README.md#how-to-use-it',
      ],
      keyring: [
        'string',
        'keyring is the path to key ring for RBDUser. Default is /etc/ceph/keyring. More info: https://examples.k8s.io/volumes/rbd/README.md#how-to-use-it',
      ],
      monitors: [
        '[]string',
        'monitors is a collection of Ceph monitors. More info: https://examples.k8s.io/volumes/rbd/README.md#how-to-use-it',
      ],
      pool: [
        'string',
        'pool is the rados pool name. Default is rbd. More info: https://examples.k8s.io/volumes/rbd/README.md#how-to-use-it',
      ],
      readOnly: [
        'boolean',
        'readOnly here will force the ReadOnly setting in VolumeMounts. Defaults to false. More info: https://examples.k8s.io/volumes/rbd/README.md#how-to-use-it',
      ],
      secretRef: ['#io.k8s.api.core.v1.LocalObjectReference', ''],
      user: [
        'string',
        'user is the rados user name. Default is admin. More info: https://examples.k8s.io/volumes/rbd/README.md#how-to-use-it',
      ],
    },
    required: ['image', 'monitors'],
  },
  'io.k8s.api.core.v1.ResourceClaim': {
    description: 'ResourceClaim references one entry in PodSpec.ResourceClaims.',
    properties: {
      name: [
        'string',
        'Name must match the name of one entry in pod.spec.resourceClaims of the Pod where this field is used. It makes that resource available inside a container.',
      ],
      request: [
        'string',
        'Request is the name chosen for a request in the referenced claim. If empty, everything from the claim is made available, otherwise only the result of this request.',
      ],
    },
    required: ['name'],
  },
  'io.k8s.api.core.v1.ResourceFieldSelector': {
    description: 'ResourceFieldSelector represents container resources (cpu, memory) and their output format',
    properties: {
      containerName: ['string', 'Container name: required for volumes, optional for env vars'],
      divisor: ['string', 'Specifies the output format of the exposed resources, defaults to "1"'],
      resource: ['string', 'Required: resource to select'],
    },
    required: ['resource'],
    extensions: { 'x-kubernetes-map-type': 'atomic' },
  },
  'io.k8s.api.core.v1.ResourceHealth': {
    description:
      'ResourceHealth represents the health of a resource. It has the latest device health information. This is a part of KEP https://kep.k8s.io/4680.',
    properties: {
      health: [
        'string',
        "Health of the resource. can be one of:  - Healthy: operates as normal  - Unhealthy: reported unhealthy. We consider this a temporary health issue               since we do not have a mechanism today to distinguish               temporary and permanent issues.  - Unknown: The status cannot be determined.             For example, Device Plugin got unregistered and hasn't been re-registered since.  In future we may want to introduce the PermanentlyUnhealthy Status.",
      ],
      resourceID: [
        'string',
        'ResourceID is the unique identifier of the resource. See the ResourceID type for more information.',
      ],
    },
    required: ['resourceID'],
  },
  'io.k8s.api.core.v1.ResourceRequirements': {
    description: 'ResourceRequirements describes the compute resource requirements.',
    properties: {
      claims: [
        '[]#io.k8s.api.core.v1.ResourceClaim',
        'Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.  This field depends on the DynamicResourceAllocation feature gate.  This field is immutable. It can only be set for containers.',
        { 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-list-type': 'map' },
      ],
      limits: [
        '{}string',
        'Limits describes the maximum amount of compute resources allowed. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
      ],
      requests: [
        '{}string',
        'Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value. Requests cannot exceed Limits. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
      ],
    },
  },
  'io.k8s.api.core.v1.ResourceStatus': {
    description: 'ResourceStatus represents the status of a single resource allocated to a Pod.',
    properties: {
      name: [
        'string',
        'Name of the resource. Must be unique within the pod and in case of non-DRA resource, match one of the resources from the pod spec. For DRA resources, the value must be "claim:<claim_name>/<request>". When this status is reported about a container, the "claim_name" and "request" must match one of the claims of this container.',
      ],
      resources: [
        '[]#io.k8s.api.core.v1.ResourceHealth',
        'List of unique resources health. Each element in the list contains an unique resource ID and its health. At a minimum, for the lifetime of a Pod, resource ID must uniquely identify the resource allocated to the Pod on the Node. If other Pod on the same Node reports the status with the same resource ID, it must be the same resource they share. See ResourceID type definition for a specific format it has in various use cases.',
      ],
    },
    required: ['name'],
  },
  'io.k8s.api.core.v1.SELinuxOptions': {
    description: 'SELinuxOptions are the labels to be applied to the container',
    properties: {
      level: ['string', 'Level is SELinux level label that applies to the container.'],
      role: ['string', 'Role is a SELinux role label that applies to the container.'],
      type: ['string', 'Type is a SELinux type label that applies to the container.'],
      user: ['string', 'User is a SELinux user label that applies to the container.'],
    },
  },
  'io.k8s.api.core.v1.ScaleIOVolumeSource': {
    description: 'ScaleIOVolumeSource represents a persistent ScaleIO volume',
    properties: {
      fsType: [
        'string',
        'fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system. Ex. "ext4", "xfs", "ntfs". Default is "xfs".',
      ],
      gateway: ['string', 'gateway is the host address of the ScaleIO API Gateway.'],
      protectionDomain: [
        'string',
        'protectionDomain is the name of the ScaleIO Protection Domain for the configured storage.',
      ],
      readOnly: [
        'boolean',
        'readOnly Defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ],
      secretRef: ['#io.k8s.api.core.v1.LocalObjectReference', ''],
      sslEnabled: ['boolean', 'sslEnabled Flag enable/disable SSL communication with Gateway, default false'],
      storageMode: [
        'string',
        'storageMode indicates whether the storage for a volume should be ThickProvisioned or ThinProvisioned. Default is ThinProvisioned.',
      ],
      storagePool: [
        'string',
        'storagePool is the ScaleIO Storage Pool associated with the protection domain.',
      ],
      system: ['string', 'system is the name of the storage system as configured in ScaleIO.'],
      volumeName: [
        'string',
        'volumeName is the name of a volume already created in the ScaleIO system that is associated with this volume source.',
      ],
    },
    required: ['gateway', 'secretRef', 'system'],
  },
  'io.k8s.api.core.v1.SeccompProfile': {
    description:
      "SeccompProfile defines a pod/container's seccomp profile settings. Only one profile source may be set.",
    properties: {
      localhostProfile: [
        'string',
        'localhostProfile indicates a profile defined in a file on the node should be used. The profile must be preconfigured on the node to work. Must be a descending path, relative to the kubelet\'s configured seccomp profile location. Must be set if type is "Localhost". Must NOT be set for any other type.',
      ],
      type: [
        'string',
        'type indicates which kind of seccomp profile will be applied. Valid options are:  Localhost - a profile defined in a file on the node should be used. RuntimeDefault - the container runtime default profile should be used. Unconfined - no profile should be applied.',
      ],
    },
    required: ['type'],
  },
  'io.k8s.api.core.v1.Secret': {
    description:
      'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      data: [
        '{}string:byte',
        "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
      ],
      immutable: [
        'boolean',
        'Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      stringData: [
        '{}string',
        'stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values. The stringData field is never output when reading from the API.',
      ],
      type: [
        'string',
        'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types',
      ],
    },
  },
  'io.k8s.api.core.v1.SecretEnvSource': {
    description:
      "SecretEnvSource selects a Secret to populate the environment variables with.  The contents of the target Secret's Data field will represent the key-value pairs as environment variables.",
    properties: {
      name: [
        'string',
        'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      ],
      optional: ['boolean', 'Specify whether the Secret must be defined'],
    },
  },
  'io.k8s.api.core.v1.SecretKeySelector': {
    description: 'SecretKeySelector selects a key of a Secret.',
    properties: {
      key: ['string', 'The key of the secret to select from.  Must be a valid secret key.'],
      name: [
        'string',
        'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      ],
      optional: ['boolean', 'Specify whether the Secret or its key must be defined'],
    },
    required: ['key'],
    extensions: { 'x-kubernetes-map-type': 'atomic' },
  },
  'io.k8s.api.core.v1.SecretList': {
    description: 'SecretList is a list of Secret.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: [
        '[]#io.k8s.api.core.v1.Secret',
        'Items is a list of secret objects. More info: https://kubernetes.io/docs/concepts/configuration/secret',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.core.v1.SecretProjection': {
    description:
      "Adapts a secret into a projected volume.  The contents of the target Secret's Data field will be presented in a projected volume as files using the keys in the Data field as the file names. Note that this is identical to a secret volume source without the default mode.",
    properties: {
      items: [
        '[]#io.k8s.api.core.v1.KeyToPath',
        "items if unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume as a file whose name is the key and content is the value. If specified, the listed keys will be projected into the specified paths, and unlisted keys will not be present. If a key is specified which is not present in the Secret, the volume setup will error unless it is marked optional. Paths must be relative and may not contain the '..' path or start with '..'.",
      ],
      name: [
        'string',
        'Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      ],
      optional: ['boolean', 'optional field specify whether the Secret or its key must be defined'],
    },
  },
  'io.k8s.api.core.v1.SecretVolumeSource': {
    description:
      "Adapts a Secret into a volume.  The contents of the target Secret's Data field will be presented in a volume as files using the keys in the Data field as the file names. Secret volumes support ownership management and SELinux relabeling.",
    properties: {
      defaultMode: [
        'integer:int32',
        'defaultMode is Optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. Defaults to 0644. Directories within the path are not affected by this setting. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.',
      ],
      items: [
        '[]#io.k8s.api.core.v1.KeyToPath',
        "items If unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume as a file whose name is the key and content is the value. If specified, the listed keys will be projected into the specified paths, and unlisted keys will not be present. If a key is specified which is not present in the Secret, the volume setup will error unless it is marked optional. Paths must be relative and may not contain the '..' path or start with '..'.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      optional: ['boolean', 'optional field specify whether the Secret or its keys must be defined'],
      secretName: [
        'string',
        "secretName is the name of the secret in the pod's namespace to use. More info: https://kubernetes.io/docs/concepts/storage/volumes#secret",
      ],
    },
  },
  'io.k8s.api.core.v1.SecurityContext': {
    description:
      'SecurityContext holds security configuration that will be applied to a container. Some fields are present in both SecurityContext and PodSecurityContext.  When both are set, the values in SecurityContext take precedence.',
    properties: {
      allowPrivilegeEscalation: [
        'boolean',
        'AllowPrivilegeEscalation controls whether a process can gain more privileges than its parent process. This bool directly controls if the no_new_privs flag will be set on the container process. AllowPrivilegeEscalation is true always when the container is: 1) run as Privileged 2) has CAP_SYS_ADMIN Note that this field cannot be set when spec.os.name is windows.',
      ],
      appArmorProfile: ['#io.k8s.api.core.v1.AppArmorProfile', ''],
      capabilities: ['#io.k8s.api.core.v1.Capabilities', ''],
      privileged: [
        'boolean',
        'Run container in privileged mode. Processes in privileged containers are essentially equivalent to root on the host. Defaults to false. Note that this field cannot be set when spec.os.name is windows.',
      ],
      procMount: [
        'string',
        'procMount denotes the type of proc mount to use for the containers. The default value is Default which uses the container runtime defaults for readonly paths and masked paths. This requires the ProcMountType feature flag to be enabled. Note that this field cannot be set when spec.os.name is windows.',
      ],
      readOnlyRootFilesystem: [
        'boolean',
        'Whether this container has a read-only root filesystem. Default is false. Note that this field cannot be set when spec.os.name is windows.',
      ],
      runAsGroup: [
        'integer:int64',
        'The GID to run the entrypoint of the container process. Uses runtime default if unset. May also be set in PodSecurityContext.  If set in both SecurityContext and PodSecurityContext, the value specified in SecurityContext takes precedence. Note that this field cannot be set when spec.os.name is windows.',
      ],
      runAsNonRoot: [
        'boolean',
        'Indicates that the container must run as a non-root user. If true, the Kubelet will validate the image at runtime to ensure that it does not run as UID 0 (root) and fail to start the container if it does. If unset or false, no such validation will be performed. May also be set in PodSecurityContext.  If set in both SecurityContext and PodSecurityContext, the value specified in SecurityContext takes precedence.',
      ],
      runAsUser: [
        'integer:int64',
        'The UID to run the entrypoint of the container process. Defaults to user specified in image metadata if unspecified. May also be set in PodSecurityContext.  If set in both SecurityContext and PodSecurityContext, the value specified in SecurityContext takes precedence. Note that this field cannot be set when spec.os.name is windows.',
      ],
      seLinuxOptions: ['#io.k8s.api.core.v1.SELinuxOptions', ''],
      seccompProfile: ['#io.k8s.api.core.v1.SeccompProfile', ''],
      windowsOptions: ['#io.k8s.api.core.v1.WindowsSecurityContextOptions', ''],
    },
  },
  'io.k8s.api.core.v1.Service': {
    description:
      'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.core.v1.ServiceSpec', ''],
      status: ['#io.k8s.api.core.v1.ServiceStatus', ''],
    },
  },
  'io.k8s.api.core.v1.ServiceAccount': {
    description:
      'ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      automountServiceAccountToken: [
        'boolean',
        'AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted. Can be overridden at the pod level.',
      ],
      imagePullSecrets: [
        '[]#io.k8s.api.core.v1.LocalObjectReference',
        'ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount. ImagePullSecrets are distinct from Secrets because Secrets can be mounted in the pod, but ImagePullSecrets are only accessed by the kubelet. More info: https://kubernetes.io/docs/concepts/containers/images/#specifying-imagepullsecrets-on-a-pod',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      secrets: [
        '[]#io.k8s.api.core.v1.ObjectReference',
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret',
        {
          'x-kubernetes-list-map-keys': ['name'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
    },
  },
  'io.k8s.api.core.v1.ServiceAccountList': {
    description: 'ServiceAccountList is a list of ServiceAccount objects',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: [
        '[]#io.k8s.api.core.v1.ServiceAccount',
        'List of ServiceAccounts. More info: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.core.v1.ServiceAccountTokenProjection': {
    description:
      'ServiceAccountTokenProjection represents a projected service account token volume. This projection can be used to insert a service account token into the pods runtime filesystem for use against APIs (Kubernetes API Server or otherwise).',
    properties: {
      audience: [
        'string',
        'audience is the intended audience of the token. A recipient of a token must identify itself with an identifier specified in the audience of the token, and otherwise should reject the token. The audience defaults to the identifier of the apiserver.',
      ],
      expirationSeconds: [
        'integer:int64',
        'expirationSeconds is the requested duration of validity of the service account token. As the token approaches expiration, the kubelet volume plugin will proactively rotate the service account token. The kubelet will start trying to rotate the token if the token is older than 80 percent of its time to live or if the token is older than 24 hours.Defaults to 1 hour and must be at least 10 minutes.',
      ],
      path: ['string', 'path is the path relative to the mount point of the file to project the token into.'],
    },
    required: ['path'],
  },
  'io.k8s.api.core.v1.ServiceList': {
    description: 'ServiceList holds a list of services.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: ['[]#io.k8s.api.core.v1.Service', 'List of services'],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.core.v1.ServicePort': {
    description: "ServicePort contains information on service's port.",
    properties: {
      appProtocol: [
        'string',
        "The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand. This field follows standard Kubernetes label syntax. Valid values are either:  * Un-prefixed protocol names - reserved for IANA standard service names (as per RFC-6335 and https://www.iana.org/assignments/service-names).  * Kubernetes-defined prefixed names:   * 'kubernetes.io/h2c' - HTTP/2 prior knowledge over cleartext as described in https://www.rfc-editor.org/rfc/rfc9113.html#name-starting-http-2-with-prior-   * 'kubernetes.io/ws'  - WebSocket over cleartext as described in https://www.rfc-editor.org/rfc/rfc6455   * 'kubernetes.io/wss' - WebSocket over TLS as described in https://www.rfc-editor.org/rfc/rfc6455  * Other protocols should use implementation-defined prefixed names such as mycompany.com/my-custom-protocol.",
      ],
      name: [
        'string',
        "The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names. When considering the endpoints for a Service, this must match the 'name' field in the EndpointPort. Optional if only one ServicePort is defined on this service.",
      ],
      nodePort: [
        'integer:int32',
        'The port on each node on which this service is exposed when type is NodePort or LoadBalancer.  Usually assigned by the system. If a value is specified, in-range, and not in use it will be used, otherwise the operation will fail.  If not specified, a port will be allocated if this Service requires one.  If this field is specified when creating a Service which does not need it, creation will fail. This field will be wiped when updating a Service to no longer need it (e.g. changing type from NodePort to ClusterIP). More info: https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport',
      ],
      port: ['integer:int32', 'The port that will be exposed by this service.'],
      protocol: [
        'string',
        'The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.',
      ],
      targetPort: [
        '#io.k8s.apimachinery.pkg.util.intstr.IntOrString',
        'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
      ],
    },
    required: ['port'],
  },
  'io.k8s.api.core.v1.ServiceSpec': {
    description: 'ServiceSpec describes the attributes that a user creates on a service.',
    properties: {
      allocateLoadBalancerNodePorts: [
        'boolean',
        'allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer.  Default is "true". It may be set to "false" if the cluster load-balancer does not rely on NodePorts.  If the caller requests specific NodePorts (by specifying a value), those requests will be respected, regardless of this field. This field may only be set for services with type LoadBalancer and will be cleared if the type is changed to any other type.',
      ],
      clusterIP: [
        'string',
        'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
      ],
      clusterIPs: [
        '[]string',
        'ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly.  If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be empty) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a valid IP address.  Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName.  If this field is not specified, it will be initialized from the clusterIP field.  If this field is specified, clients must ensure that clusterIPs[0] and clusterIP have the same value.  This field may hold a maximum of two entries (dual-stack IPs, in either order). These IPs must correspond to the values of the ipFamilies field. Both clusterIPs and ipFamilies are governed by the ipFamilyPolicy field. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      externalIPs: [
        '[]string',
        'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      externalName: [
        'string',
        'externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record). No proxying will be involved.  Must be a lowercase RFC-1123 hostname (https://tools.ietf.org/html/rfc1123) and requires `type` to be "ExternalName".',
      ],
      externalTrafficPolicy: [
        'string',
        'externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses (NodePorts, ExternalIPs, and LoadBalancer IPs). If set to "Local", the proxy will configure the service in a way that assumes that external load balancers will take care of balancing the service traffic between nodes, and so each node will deliver traffic only to the node-local endpoints of the service, without masquerading the client source IP. (Traffic mistakenly sent to a node with no endpoints will be dropped.) The default value, "Cluster", uses the standard behavior of routing to all endpoints evenly (possibly modified by topology and other features). Note that traffic sent to an External IP or LoadBalancer IP from within the cluster will always get "Cluster" semantics, but clients sending to a NodePort from within the cluster may need to take traffic policy into account when picking a node.',
      ],
      healthCheckNodePort: [
        'integer:int32',
        'healthCheckNodePort specifies the healthcheck nodePort for the service. This only applies when type is set to LoadBalancer and externalTrafficPolicy is set to Local. If a value is specified, is in-range, and is not in use, it will be used.  If not specified, a value will be automatically allocated.  External systems (e.g. load-balancers) can use this port to determine if a given node holds endpoints for this service or not.  If this field is specified when creating a Service which does not need it, creation will fail. This field will be wiped when updating a Service to no longer need it (e.g. changing type). This field cannot be updated once set.',
      ],
      internalTrafficPolicy: [
        'string',
        'InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP. If set to "Local", the proxy will assume that pods only want to talk to endpoints of the service on the same node as the pod, dropping the traffic if there are no local endpoints. The default value, "Cluster", uses the standard behavior of routing to all endpoints evenly (possibly modified by topology and other features).',
      ],
      ipFamilies: [
        '[]string',
        'IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service. This field is usually assigned automatically based on cluster configuration and the ipFamilyPolicy field. If this field is specified manually, the requested family is available in the cluster, and ipFamilyPolicy allows it, it will be used; otherwise creation of the service will fail. This field is conditionally mutable: it allows for adding or removing a secondary IP family, but it does not allow changing the primary IP family of the Service. Valid values are "IPv4" and "IPv6".  This field only applies to Services of types ClusterIP, NodePort, and LoadBalancer, and does apply to "headless" services. This field will be wiped when updating a Service to type ExternalName.  This field may hold a maximum of two entries (dual-stack families, in either order).  These families must correspond to the values of the clusterIPs field, if specified. Both clusterIPs and ipFamilies are governed by the ipFamilyPolicy field.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      ipFamilyPolicy: [
        'string',
        'IPFamilyPolicy represents the dual-stack-ness requested or required by this Service. If there is no value provided, then this field will be set to SingleStack. Services can be "SingleStack" (a single IP family), "PreferDualStack" (two IP families on dual-stack configured clusters or a single IP family on single-stack clusters), or "RequireDualStack" (two IP families on dual-stack configured clusters, otherwise fail). The ipFamilies and clusterIPs fields depend on the value of this field. This field will be wiped when updating a service to type ExternalName.',
      ],
      loadBalancerClass: [
        'string',
        "loadBalancerClass is the class of the load balancer implementation this Service belongs to. If specified, the value of this field must be a label-style identifier, with an optional prefix, e.g. \"internal-vip\" or \"example.com/internal-vip\". Unprefixed names are reserved for end-users. This field can only be set when the Service type is 'LoadBalancer'. If not set, the default load balancer implementation is used, today this is typically done through the cloud provider integration, but should apply for any default implementation. If set, it is assumed that a load balancer implementation is watching for Services with a matching class. Any default load balancer implementation (e.g. cloud providers) should ignore Services that set this field. This field can only be set when creating or updating a Service to type 'LoadBalancer'. Once set, it can not be changed. This field will be wiped when a service is updated to a non 'LoadBalancer' type.",
      ],
      loadBalancerIP: [
        'string',
        'Only applies to Service Type: LoadBalancer. This feature depends on whether the underlying cloud-provider supports specifying the loadBalancerIP when a load balancer is created. This field will be ignored if the cloud-provider does not support the feature. Deprecated: This field was under-specified and its meaning varies across implementations. Using it is non-portable and it may not support dual-stack. Users are encouraged to use implementation-specific annotations when available.',
      ],
      loadBalancerSourceRanges: [
        '[]string',
        'If specified and supported by the platform, this will restrict traffic through the cloud-provider load-balancer will be restricted to the specified client IPs. This field will be ignored if the cloud-provider does not support the feature." More info: https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      ports: [
        '[]#io.k8s.api.core.v1.ServicePort',
        'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
        {
          'x-kubernetes-list-map-keys': ['port', 'protocol'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'port',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      publishNotReadyAddresses: [
        'boolean',
        'publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready. The primary use case for setting this field is for a StatefulSet\'s Headless Service to propagate SRV DNS records for its Pods for the purpose of peer discovery. The Kubernetes controllers that generate Endpoints and EndpointSlice resources for Services interpret this to mean that all endpoints are considered "ready" even if the Pods themselves are not. Agents which consume only Kubernetes generated endpoints through the Endpoints or EndpointSlice resources can safely assume this behavior.',
      ],
      selector: [
        '{}string',
        'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/',
        { 'x-kubernetes-map-type': 'atomic' },
      ],
      sessionAffinity: [
        'string',
        'Supports "ClientIP" and "None". Used to maintain session affinity. Enable client IP based session affinity. Must be ClientIP or None. Defaults to None. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
      ],
      sessionAffinityConfig: ['#io.k8s.api.core.v1.SessionAffinityConfig', ''],
      trafficDistribution: [
        'string',
        'TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints. Implementations can use this field as a hint, but are not required to guarantee strict adherence. If the field is not set, the implementation will apply its default routing strategy. If set to "PreferClose", implementations should prioritize endpoints that are in the same zone.',
      ],
      type: [
        'string',
        'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
      ],
    },
  },
  'io.k8s.api.core.v1.ServiceStatus': {
    description: 'ServiceStatus represents the current status of a service.',
    properties: {
      conditions: [
        '[]#io.k8s.apimachinery.pkg.apis.meta.v1.Condition',
        'Current service state',
        {
          'x-kubernetes-list-map-keys': ['type'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'type',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      loadBalancer: ['#io.k8s.api.core.v1.LoadBalancerStatus', ''],
    },
  },
  'io.k8s.api.core.v1.SessionAffinityConfig': {
    description: 'SessionAffinityConfig represents the configurations of session affinity.',
    properties: { clientIP: ['#io.k8s.api.core.v1.ClientIPConfig', ''] },
  },
  'io.k8s.api.core.v1.SleepAction': {
    description: 'SleepAction describes a "sleep" action.',
    properties: { seconds: ['integer:int64', 'Seconds is the number of seconds to sleep.'] },
    required: ['seconds'],
  },
  'io.k8s.api.core.v1.StorageOSVolumeSource': {
    description: 'Represents a StorageOS persistent volume resource.',
    properties: {
      fsType: [
        'string',
        'fsType is the filesystem type to mount. Must be a filesystem type supported by the host operating system. Ex. "ext4", "xfs", "ntfs". Implicitly inferred to be "ext4" if unspecified.',
      ],
      readOnly: [
        'boolean',
        'readOnly defaults to false (read/write). ReadOnly here will force the ReadOnly setting in VolumeMounts.',
      ],
      secretRef: ['#io.k8s.api.core.v1.LocalObjectReference', ''],
      volumeName: [
        'string',
        'volumeName is the human-readable name of the StorageOS volume.  Volume names are only unique within a namespace.',
      ],
      volumeNamespace: [
        'string',
        'volumeNamespace specifies the scope of the volume within StorageOS.  If no namespace is specified then the Pod\'s namespace will be used.  This allows the Kubernetes name scoping to be mirrored within StorageOS for tighter integration. Set VolumeName to any name to override the default behaviour. Set to "default" if you are not using namespaces within StorageOS. Namespaces that do not pre-exist within StorageOS will be created.',
      ],
    },
  },
  'io.k8s.api.core.v1.Sysctl': {
    description: 'Sysctl defines a kernel parameter to be set',
    properties: {
      name: ['string', 'Name of a property to set'],
      value: ['string', 'Value of a property to set'],
    },
    required: ['name', 'value'],
  },
  'io.k8s.api.core.v1.TCPSocketAction': {
    description: 'TCPSocketAction describes an action based on opening a socket',
    properties: {
      host: ['string', 'Optional: Host name to connect to, defaults to the pod IP.'],
      port: [
        '#io.k8s.apimachinery.pkg.util.intstr.IntOrString',
        'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
      ],
    },
    required: ['port'],
  },
  'io.k8s.api.core.v1.Taint': {
    description:
      'The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.',
    properties: {
      effect: [
        'string',
        'Required. The effect of the taint on pods that do not tolerate the taint. Valid effects are NoSchedule, PreferNoSchedule and NoExecute.',
      ],
      key: ['string', 'Required. The taint key to be applied to a node.'],
      timeAdded: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'TimeAdded represents the time at which the taint was added.',
      ],
      value: ['string', 'The taint value corresponding to the taint key.'],
    },
    required: ['effect', 'key'],
  },
  'io.k8s.api.core.v1.Toleration': {
    description:
      'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.',
    properties: {
      effect: [
        'string',
        'Effect indicates the taint effect to match. Empty means match all taint effects. When specified, allowed values are NoSchedule, PreferNoSchedule and NoExecute.',
      ],
      key: [
        'string',
        'Key is the taint key that the toleration applies to. Empty means match all taint keys. If the key is empty, operator must be Exists; this combination means to match all values and all keys.',
      ],
      operator: [
        'string',
        "Operator represents a key's relationship to the value. Valid operators are Exists and Equal. Defaults to Equal. Exists is equivalent to wildcard for value, so that a pod can tolerate all taints of a particular category.",
      ],
      tolerationSeconds: [
        'integer:int64',
        'TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute, otherwise this field is ignored) tolerates the taint. By default, it is not set, which means tolerate the taint forever (do not evict). Zero and negative values will be treated as 0 (evict immediately) by the system.',
      ],
      value: [
        'string',
        'Value is the taint value the toleration matches to. If the operator is Exists, the value should be empty, otherwise just a regular string.',
      ],
    },
  },
  'io.k8s.api.core.v1.TopologySpreadConstraint': {
    description: 'TopologySpreadConstraint specifies how to spread matching pods among the given topology.',
    properties: {
      labelSelector: ['#io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', ''],
      matchLabelKeys: [
        '[]string',
        "MatchLabelKeys is a set of pod label keys to select the pods over which spreading will be calculated. The keys are used to lookup values from the incoming pod labels, those key-value labels are ANDed with labelSelector to select the group of existing pods over which spreading will be calculated for the incoming pod. The same key is forbidden to exist in both MatchLabelKeys and LabelSelector. MatchLabelKeys cannot be set when LabelSelector isn't set. Keys that don't exist in the incoming pod labels will be ignored. A null or empty list means only match against labelSelector.  This is a beta field and requires the MatchLabelKeysInPodTopologySpread feature gate to be enabled (enabled by default).",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      maxSkew: [
        'integer:int32',
        "MaxSkew describes the degree to which pods may be unevenly distributed. When `whenUnsatisfiable=DoNotSchedule`, it is the maximum permitted difference between the number of matching pods in the target topology and the global minimum. The global minimum is the minimum number of matching pods in an eligible domain or zero if the number of eligible domains is less than MinDomains. For example, in a 3-zone cluster, MaxSkew is set to 1, and pods with the same labelSelector spread as 2/2/1: In this case, the global minimum is 1. | zone1 | zone2 | zone3 | |  P P  |  P P  |   P   | - if MaxSkew is 1, incoming pod can only be scheduled to zone3 to become 2/2/2; scheduling it onto zone1(zone2) would make the ActualSkew(3-1) on zone1(zone2) violate MaxSkew(1). - if MaxSkew is 2, incoming pod can be scheduled onto any zone. When `whenUnsatisfiable=ScheduleAnyway`, it is used to give higher precedence to topologies that satisfy it. It's a required field. Default value is 1 and 0 is not allowed.",
      ],
      minDomains: [
        'integer:int32',
        'MinDomains indicates a minimum number of eligible domains. When the number of eligible domains with matching topology keys is less than minDomains, Pod Topology Spread treats "global minimum" as 0, and then the calculation of Skew is performed. And when the number of eligible domains with matching topology keys equals or greater than minDomains, this value has no effect on scheduling. As a result, when the number of eligible domains is less than minDomains, scheduler won\'t schedule more than maxSkew Pods to those domains. If value is nil, the constraint behaves as if MinDomains is equal to 1. Valid values are integers greater than 0. When value is not nil, WhenUnsatisfiable must be DoNotSchedule.  For example, in a 3-zone cluster, MaxSkew is set to 2, MinDomains is set to 5 and pods with the same labelSelector spread as 2/2/2: | zone1 | zone2 | zone3 | |  P P  |  P P  |  P P  | The number of domains is less than 5(MinDomains), so "global minimum" is treated as 0. In this situation, new pod with the same labelSelector cannot be scheduled, because computed skew will be 3(3 - 0) if new Pod is scheduled to any of the three zones, it will violate MaxSkew.',
      ],
      nodeAffinityPolicy: [
        'string',
        "NodeAffinityPolicy indicates how we will treat Pod's nodeAffinity/nodeSelector when calculating pod topology spread skew. Options are: - Honor: only nodes matching nodeAffinity/nodeSelector are included in the calculations. - Ignore: nodeAffinity/nodeSelector are ignored. All nodes are included in the calculations.  If this value is nil, the behavior is equivalent to the Honor policy.",
      ],
      nodeTaintsPolicy: [
        'string',
        'NodeTaintsPolicy indicates how we will treat node taints when calculating pod topology spread skew. Options are: - Honor: nodes without taints, along with tainted nodes for which the incoming pod has a toleration, are included. - Ignore: node taints are ignored. All nodes are included.  If this value is nil, the behavior is equivalent to the Ignore policy.',
      ],
      topologyKey: [
        'string',
        'TopologyKey is the key of node labels. Nodes that have a label with this key and identical values are considered to be in the same topology. We consider each <key, value> as a "bucket", and try to put balanced number of pods into each bucket. We define a domain as a particular instance of a topology. Also, we define an eligible domain as a domain whose nodes meet the requirements of nodeAffinityPolicy and nodeTaintsPolicy. e.g. If TopologyKey is "kubernetes.io/hostname", each Node is a domain of that topology. And, if TopologyKey is "topology.kubernetes.io/zone", each zone is a domain of that topology. It\'s a required field.',
      ],
      whenUnsatisfiable: [
        'string',
        'WhenUnsatisfiable indicates how to deal with a pod if it doesn\'t satisfy the spread constraint. - DoNotSchedule (default) tells the scheduler not to schedule it. - ScheduleAnyway tells the scheduler to schedule the pod in any location,   but giving higher precedence to topologies that would help reduce the   skew. A constraint is considered "Unsatisfiable" for an incoming pod if and only if every possible node assignment for that pod would violate "MaxSkew" on some topology. For example, in a 3-zone cluster, MaxSkew is set to 1, and pods with the same labelSelector spread as 3/1/1: | zone1 | zone2 | zone3 | | P P P |   P   |   P   | If WhenUnsatisfiable is set to DoNotSchedule, incoming pod can only be scheduled to zone2(zone3) to become 3/2/1(3/1/2) as ActualSkew(2-1) on zone2(zone3) satisfies MaxSkew(1). In other words, the cluster can still be imbalanced, but scheduler won\'t make it *more* imbalanced. It\'s a required field.',
      ],
    },
    required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
  },
  'io.k8s.api.core.v1.TypedLocalObjectReference': {
    description:
      'TypedLocalObjectReference contains enough information to let you locate the typed referenced object inside the same namespace.',
    properties: {
      apiGroup: [
        'string',
        'APIGroup is the group for the resource being referenced. If APIGroup is not specified, the specified Kind must be in the core API group. For any other third-party types, APIGroup is required.',
      ],
      kind: ['string', 'Kind is the type of resource being referenced'],
      name: ['string', 'Name is the name of resource being referenced'],
    },
    required: ['kind', 'name'],
    extensions: { 'x-kubernetes-map-type': 'atomic' },
  },
  'io.k8s.api.core.v1.TypedObjectReference': {
    description:
      'TypedObjectReference contains enough information to let you locate the typed referenced object',
    properties: {
      apiGroup: [
        'string',
        'APIGroup is the group for the resource being referenced. If APIGroup is not specified, the specified Kind must be in the core API group. For any other third-party types, APIGroup is required.',
      ],
      kind: ['string', 'Kind is the type of resource being referenced'],
      name: ['string', 'Name is the name of resource being referenced'],
      namespace: [
        'string',
        "Namespace is the namespace of resource being referenced Note that when a namespace is specified, a gateway.networking.k8s.io/ReferenceGrant object is required in the referent namespace to allow that namespace's owner to accept the reference. See the ReferenceGrant documentation for details. (Alpha) This field requires the CrossNamespaceVolumeDataSource feature gate to be enabled.",
      ],
    },
    required: ['kind', 'name'],
  },
  'io.k8s.api.core.v1.Volume': {
    description:
      'Volume represents a named volume in a pod that may be accessed by any container in the pod.',
    properties: {
      awsElasticBlockStore: ['#io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource', ''],
      azureDisk: ['#io.k8s.api.core.v1.AzureDiskVolumeSource', ''],
      azureFile: ['#io.k8s.api.core.v1.AzureFileVolumeSource', ''],
      cephfs: ['#io.k8s.api.core.v1.CephFSVolumeSource', ''],
      cinder: ['#io.k8s.api.core.v1.CinderVolumeSource', ''],
      configMap: ['#io.k8s.api.core.v1.ConfigMapVolumeSource', ''],
      csi: ['#io.k8s.api.core.v1.CSIVolumeSource', ''],
      downwardAPI: ['#io.k8s.api.core.v1.DownwardAPIVolumeSource', ''],
      emptyDir: ['#io.k8s.api.core.v1.EmptyDirVolumeSource', ''],
      ephemeral: ['#io.k8s.api.core.v1.EphemeralVolumeSource', ''],
      fc: ['#io.k8s.api.core.v1.FCVolumeSource', ''],
      flexVolume: ['#io.k8s.api.core.v1.FlexVolumeSource', ''],
      flocker: ['#io.k8s.api.core.v1.FlockerVolumeSource', ''],
      gcePersistentDisk: ['#io.k8s.api.core.v1.GCEPersistentDiskVolumeSource', ''],
      gitRepo: ['#io.k8s.api.core.v1.GitRepoVolumeSource', ''],
      glusterfs: ['#io.k8s.api.core.v1.GlusterfsVolumeSource', ''],
      hostPath: ['#io.k8s.api.core.v1.HostPathVolumeSource', ''],
      image: ['#io.k8s.api.core.v1.ImageVolumeSource', ''],
      iscsi: ['#io.k8s.api.core.v1.ISCSIVolumeSource', ''],
      name: [
        'string',
        'name of the volume. Must be a DNS_LABEL and unique within the pod. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
      ],
      nfs: ['#io.k8s.api.core.v1.NFSVolumeSource', ''],
      persistentVolumeClaim: ['#io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource', ''],
      photonPersistentDisk: ['#io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource', ''],
      portworxVolume: ['#io.k8s.api.core.v1.PortworxVolumeSource', ''],
      projected: ['#io.k8s.api.core.v1.ProjectedVolumeSource', ''],
      quobyte: ['#io.k8s.api.core.v1.QuobyteVolumeSource', ''],
      rbd: ['#io.k8s.api.core.v1.RBDVolumeSource', ''],
      scaleIO: ['#io.k8s.api.core.v1.ScaleIOVolumeSource', ''],
      secret: ['#io.k8s.api.core.v1.SecretVolumeSource', ''],
      storageos: ['#io.k8s.api.core.v1.StorageOSVolumeSource', ''],
      vsphereVolume: ['#io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource', ''],
    },
    required: ['name'],
  },
  'io.k8s.api.core.v1.VolumeDevice': {
    description: 'volumeDevice describes a mapping of a raw block device within a container.',
    properties: {
      devicePath: [
        'string',
        'devicePath is the path inside of the container that the device will be mapped to.',
      ],
      name: ['string', 'name must match the name of a persistentVolumeClaim in the pod'],
    },
    required: ['devicePath', 'name'],
  },
  'io.k8s.api.core.v1.VolumeMount': {
    description: 'VolumeMount describes a mounting of a Volume within a container.',
    properties: {
      mountPath: [
        'string',
        "Path within the container at which the volume should be mounted.  Must not contain ':'.",
      ],
      mountPropagation: [
        'string',
        'mountPropagation determines how mounts are propagated from the host to container and the other way around. When not set, MountPropagationNone is used. This field is beta in 1.10. When RecursiveReadOnly is set to IfPossible or to Enabled, MountPropagation must be None or unspecified (which defaults to None).',
      ],
      name: ['string', 'This must match the Name of a Volume.'],
      readOnly: [
        'boolean',
        'Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.',
      ],
      recursiveReadOnly: [
        'string',
        'RecursiveReadOnly specifies whether read-only mounts should be handled recursively.  If ReadOnly is false, this field has no meaning and must be unspecified.  If ReadOnly is true, and this field is set to Disabled, the mount is not made recursively read-only.  If this field is set to IfPossible, the mount is made recursively read-only, if it is supported by the container runtime.  If this field is set to Enabled, the mount is made recursively read-only if it is supported by the container runtime, otherwise the pod will not be started and an error will be generated to indicate the reason.  If this field is set to IfPossible or Enabled, MountPropagation must be set to None (or be unspecified, which defaults to None).  If this field is not specified, it is treated as an equivalent of Disabled.',
      ],
      subPath: [
        'string',
        'Path within the volume from which the container\'s volume should be mounted. Defaults to "" (volume\'s root).',
      ],
      subPathExpr: [
        'string',
        "Expanded path within the volume from which the container's volume should be mounted. Behaves similarly to SubPath but environment variable references $(VAR_NAME) are expanded using the container's environment. Defaults to \"\" (volume's root). SubPathExpr and SubPath are mutually exclusive.",
      ],
    },
    required: ['mountPath', 'name'],
  },
  'io.k8s.api.core.v1.VolumeMountStatus': {
    description: 'VolumeMountStatus shows status of volume mounts.',
    properties: {
      mountPath: ['string', 'MountPath corresponds to the original VolumeMount.'],
      name: ['string', 'Name corresponds to the name of the original VolumeMount.'],
      readOnly: ['boolean', 'ReadOnly corresponds to the original VolumeMount.'],
      recursiveReadOnly: [
        'string',
        'RecursiveReadOnly must be set to Disabled, Enabled, or unspecified (for non-readonly mounts). An IfPossible value in the original VolumeMount must be translated to Disabled or Enabled, depending on the mount result.',
      ],
    },
    required: ['mountPath', 'name'],
  },
  'io.k8s.api.core.v1.VolumeProjection': {
    description:
      'Projection that may be projected along with other supported volume types. Exactly one of these fields must be set.',
    properties: {
      clusterTrustBundle: ['#io.k8s.api.core.v1.ClusterTrustBundleProjection', ''],
      configMap: ['#io.k8s.api.core.v1.ConfigMapProjection', ''],
      downwardAPI: ['#io.k8s.api.core.v1.DownwardAPIProjection', ''],
      podCertificate: ['#io.k8s.api.core.v1.PodCertificateProjection', ''],
      secret: ['#io.k8s.api.core.v1.SecretProjection', ''],
      serviceAccountToken: ['#io.k8s.api.core.v1.ServiceAccountTokenProjection', ''],
    },
  },
  'io.k8s.api.core.v1.VolumeResourceRequirements': {
    description: 'VolumeResourceRequirements describes the storage resource requirements for a volume.',
    properties: {
      limits: [
        '{}string',
        'Limits describes the maximum amount of compute resources allowed. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
      ],
      requests: [
        '{}string',
        'Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value. Requests cannot exceed Limits. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
      ],
    },
  },
  'io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource': {
    description: 'Represents a vSphere volume resource.',
    properties: {
      fsType: [
        'string',
        'fsType is filesystem type to mount. Must be a filesystem type supported by the host operating system. Ex. "ext4", "xfs", "ntfs". Implicitly inferred to be "ext4" if unspecified.',
      ],
      storagePolicyID: [
        'string',
        'storagePolicyID is the storage Policy Based Management (SPBM) profile ID associated with the StoragePolicyName.',
      ],
      storagePolicyName: [
        'string',
        'storagePolicyName is the storage Policy Based Management (SPBM) profile name.',
      ],
      volumePath: ['string', 'volumePath is the path that identifies vSphere volume vmdk'],
    },
    required: ['volumePath'],
  },
  'io.k8s.api.core.v1.WeightedPodAffinityTerm': {
    description:
      'The weights of all of the matched WeightedPodAffinityTerm fields are added per-node to find the most preferred node(s)',
    properties: {
      podAffinityTerm: ['#io.k8s.api.core.v1.PodAffinityTerm', ''],
      weight: [
        'integer:int32',
        'weight associated with matching the corresponding podAffinityTerm, in the range 1-100.',
      ],
    },
    required: ['podAffinityTerm', 'weight'],
  },
  'io.k8s.api.core.v1.WindowsSecurityContextOptions': {
    description: 'WindowsSecurityContextOptions contain Windows-specific options and credentials.',
    properties: {
      gmsaCredentialSpec: [
        'string',
        'GMSACredentialSpec is where the GMSA admission webhook (https://github.com/kubernetes-sigs/windows-gmsa) inlines the contents of the GMSA credential spec named by the GMSACredentialSpecName field.',
      ],
      gmsaCredentialSpecName: [
        'string',
        'GMSACredentialSpecName is the name of the GMSA credential spec to use.',
      ],
      hostProcess: [
        'boolean',
        "HostProcess determines if a container should be run as a 'Host Process' container. All of a Pod's containers must have the same effective HostProcess value (it is not allowed to have a mix of HostProcess containers and non-HostProcess containers). In addition, if HostProcess is true then HostNetwork must also be set to true.",
      ],
      runAsUserName: [
        'string',
        'The UserName in Windows to run the entrypoint of the container process. Defaults to the user specified in image metadata if unspecified. May also be set in PodSecurityContext. If set in both SecurityContext and PodSecurityContext, the value specified in SecurityContext takes precedence.',
      ],
    },
  },
  'io.k8s.api.networking.v1.HTTPIngressPath': {
    description:
      'HTTPIngressPath associates a path with a backend. Incoming urls matching the path are forwarded to the backend.',
    properties: {
      backend: ['#io.k8s.api.networking.v1.IngressBackend', ''],
      path: [
        'string',
        'path is matched against the path of an incoming request. Currently it can contain characters disallowed from the conventional "path" part of a URL as defined by RFC 3986. Paths must begin with a \'/\' and must be present when using PathType with value "Exact" or "Prefix".',
      ],
      pathType: [
        'string',
        "pathType determines the interpretation of the path matching. PathType can be one of the following values: * Exact: Matches the URL path exactly. * Prefix: Matches based on a URL path prefix split by '/'. Matching is   done on a path element by element basis. A path element refers is the   list of labels in the path split by the '/' separator. A request is a   match for path p if every p is an element-wise prefix of p of the   request path. Note that if the last element of the path is a substring   of the last element in request path, it is not a match (e.g. /foo/bar   matches /foo/bar/baz, but does not match /foo/barbaz). * ImplementationSpecific: Interpretation of the Path matching is up to   the IngressClass. Implementations can treat this as a separate PathType   or treat it identically to Prefix or Exact path types. Implementations are required to support all path types.",
      ],
    },
    required: ['backend', 'pathType'],
  },
  'io.k8s.api.networking.v1.HTTPIngressRuleValue': {
    description:
      "HTTPIngressRuleValue is a list of http selectors pointing to backends. In the example: http://<host>/<path>?<searchpart> -> backend where where parts of the url correspond to RFC 3986, this resource will be used to match against everything after the last '/' and before the first '?' or '#'.",
    properties: {
      paths: [
        '[]#io.k8s.api.networking.v1.HTTPIngressPath',
        'paths is a collection of paths that map requests to backends.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
    required: ['paths'],
  },
  'io.k8s.api.networking.v1.IPBlock': {
    description:
      'IPBlock describes a particular CIDR (Ex. "192.168.1.0/24","2001:db8::/64") that is allowed to the pods matched by a NetworkPolicySpec\'s podSelector. The except entry describes CIDRs that should not be included within this rule.',
    properties: {
      cidr: [
        'string',
        'cidr is a string representing the IPBlock Valid examples are "192.168.1.0/24" or "2001:db8::/64"',
      ],
      except: [
        '[]string',
        'except is a slice of CIDRs that should not be included within an IPBlock Valid examples are "192.168.1.0/24" or "2001:db8::/64" Except values will be rejected if they are outside the cidr range',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
    required: ['cidr'],
  },
  'io.k8s.api.networking.v1.Ingress': {
    description:
      'Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend. An Ingress can be configured to give services externally-reachable urls, load balance traffic, terminate SSL, offer name based virtual hosting etc.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.networking.v1.IngressSpec', ''],
      status: ['#io.k8s.api.networking.v1.IngressStatus', ''],
    },
  },
  'io.k8s.api.networking.v1.IngressBackend': {
    description: 'IngressBackend describes all endpoints for a given service and port.',
    properties: {
      resource: ['#io.k8s.api.core.v1.TypedLocalObjectReference', ''],
      service: ['#io.k8s.api.networking.v1.IngressServiceBackend', ''],
    },
  },
  'io.k8s.api.networking.v1.IngressList': {
    description: 'IngressList is a collection of Ingress.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: ['[]#io.k8s.api.networking.v1.Ingress', 'items is the list of Ingress.'],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.networking.v1.IngressLoadBalancerIngress': {
    description: 'IngressLoadBalancerIngress represents the status of a load-balancer ingress point.',
    properties: {
      hostname: ['string', 'hostname is set for load-balancer ingress points that are DNS based.'],
      ip: ['string', 'ip is set for load-balancer ingress points that are IP based.'],
      ports: [
        '[]#io.k8s.api.networking.v1.IngressPortStatus',
        'ports provides information about the ports exposed by this LoadBalancer.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.networking.v1.IngressLoadBalancerStatus': {
    description: 'IngressLoadBalancerStatus represents the status of a load-balancer.',
    properties: {
      ingress: [
        '[]#io.k8s.api.networking.v1.IngressLoadBalancerIngress',
        'ingress is a list containing ingress points for the load-balancer.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.networking.v1.IngressPortStatus': {
    description: 'IngressPortStatus represents the error condition of a service port',
    properties: {
      error: [
        'string',
        'error is to record the problem with the service port The format of the error shall comply with the following rules: - built-in error values shall be specified in this file and those shall use   CamelCase names - cloud provider specific error values must have names that comply with the   format foo.example.com/CamelCase.',
      ],
      port: ['integer:int32', 'port is the port number of the ingress port.'],
      protocol: [
        'string',
        'protocol is the protocol of the ingress port. The supported values are: "TCP", "UDP", "SCTP"',
      ],
    },
    required: ['port', 'protocol'],
  },
  'io.k8s.api.networking.v1.IngressRule': {
    description:
      'IngressRule represents the rules mapping the paths under a specified host to the related backend services. Incoming requests are first evaluated for a host match, then routed to the backend associated with the matching IngressRuleValue.',
    properties: {
      host: [
        'string',
        'host is the fully qualified domain name of a network host, as defined by RFC 3986. Note the following deviations from the "host" part of the URI as defined in RFC 3986: 1. IPs are not allowed. Currently an IngressRuleValue can only apply to    the IP in the Spec of the parent Ingress. 2. The `:` delimiter is not respected because ports are not allowed.    Currently the port of an Ingress is implicitly :80 for http and    :443 for https. Both these may change in the future. Incoming requests are matched against the host before the IngressRuleValue. If the host is unspecified, the Ingress routes all traffic based on the specified IngressRuleValue.  host can be "precise" which is a domain name without the terminating dot of a network host (e.g. "foo.bar.com") or "wildcard", which is a domain name prefixed with a single wildcard label (e.g. "*.foo.com"). The wildcard character \'*\' must appear by itself as the first DNS label and matches only a single label. You cannot have a wildcard label by itself (e.g. Host == "*"). Requests will be matched against the Host field in the following way: 1. If host is precise, the request matches this rule if the http host header is equal to Host. 2. If host is a wildcard, then the request matches this rule if the http host header is to equal to the suffix (removing the first label) of the wildcard rule.',
      ],
      http: ['#io.k8s.api.networking.v1.HTTPIngressRuleValue', ''],
    },
  },
  'io.k8s.api.networking.v1.IngressServiceBackend': {
    description: 'IngressServiceBackend references a Kubernetes Service as a Backend.',
    properties: {
      name: [
        'string',
        'name is the referenced service. The service must exist in the same namespace as the Ingress object.',
      ],
      port: ['#io.k8s.api.networking.v1.ServiceBackendPort', ''],
    },
    required: ['name'],
  },
  'io.k8s.api.networking.v1.IngressSpec': {
    description: 'IngressSpec describes the Ingress the user wishes to exist.',
    properties: {
      defaultBackend: ['#io.k8s.api.networking.v1.IngressBackend', ''],
      ingressClassName: [
        'string',
        'ingressClassName is the name of an IngressClass cluster resource. Ingress controller implementations use this field to know whether they should be serving this Ingress resource, by a transitive connection (controller -> IngressClass -> Ingress resource). Although the `kubernetes.io/ingress.class` annotation (simple constant name) was never formally defined, it was widely supported by Ingress controllers to create a direct binding between Ingress controller and Ingress resources. Newly created Ingress resources should prefer using the field. However, even though the annotation is officially deprecated, for backwards compatibility reasons, ingress controllers should still honor that annotation if present.',
      ],
      rules: [
        '[]#io.k8s.api.networking.v1.IngressRule',
        'rules is a list of host rules used to configure the Ingress. If unspecified, or no rule matches, all traffic is sent to the default backend.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      tls: [
        '[]#io.k8s.api.networking.v1.IngressTLS',
        'tls represents the TLS configuration. Currently the Ingress only supports a single TLS port, 443. If multiple members of this list specify different hosts, they will be multiplexed on the same port according to the hostname specified through the SNI TLS extension, if the ingress controller fulfilling the ingress supports SNI.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.networking.v1.IngressStatus': {
    description: 'IngressStatus describe the current state of the Ingress.',
    properties: { loadBalancer: ['#io.k8s.api.networking.v1.IngressLoadBalancerStatus', ''] },
  },
  'io.k8s.api.networking.v1.IngressTLS': {
    description: 'IngressTLS describes the transport layer security associated with an ingress.',
    properties: {
      hosts: [
        '[]string',
        'hosts is a list of hosts included in the TLS certificate. The values in this list must match the name/s used in the tlsSecret. Defaults to the wildcard host setting for the loadbalancer controller fulfilling this Ingress, if left unspecified.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      secretName: [
        'string',
        'secretName is the name of the secret used to terminate TLS traffic on port 443. Field is left optional to allow TLS routing based on SNI hostname alone. If the SNI host in a listener conflicts with the "Host" header field used by an IngressRule, the SNI host is used for termination and value of the "Host" header is used for routing.',
      ],
    },
  },
  'io.k8s.api.networking.v1.NetworkPolicy': {
    description: 'NetworkPolicy describes what network traffic is allowed for a set of Pods',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.networking.v1.NetworkPolicySpec', ''],
    },
  },
  'io.k8s.api.networking.v1.NetworkPolicyEgressRule': {
    description:
      "NetworkPolicyEgressRule describes a particular set of traffic that is allowed out of pods matched by a NetworkPolicySpec's podSelector. The traffic must match both ports and to. This type is beta-level in 1.8",
    properties: {
      ports: [
        '[]#io.k8s.api.networking.v1.NetworkPolicyPort',
        'ports is a list of destination ports for outgoing traffic. Each item in this list is combined using a logical OR. If this field is empty or missing, this rule matches all ports (traffic not restricted by port). If this field is present and contains at least one item, then this rule allows traffic only if the traffic matches at least one port in the list.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      to: [
        '[]#io.k8s.api.networking.v1.NetworkPolicyPeer',
        'to is a list of destinations for outgoing traffic of pods selected for this rule. Items in this list are combined using a logical OR operation. If this field is empty or missing, this rule matches all destinations (traffic not restricted by destination). If this field is present and contains at least one item, this rule allows traffic only if the traffic matches at least one item in the to list.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.networking.v1.NetworkPolicyIngressRule': {
    description:
      "NetworkPolicyIngressRule describes a particular set of traffic that is allowed to the pods matched by a NetworkPolicySpec's podSelector. The traffic must match both ports and from.",
    properties: {
      from: [
        '[]#io.k8s.api.networking.v1.NetworkPolicyPeer',
        'from is a list of sources which should be able to access the pods selected for this rule. Items in this list are combined using a logical OR operation. If this field is empty or missing, this rule matches all sources (traffic not restricted by source). If this field is present and contains at least one item, this rule allows traffic only if the traffic matches at least one item in the from list.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      ports: [
        '[]#io.k8s.api.networking.v1.NetworkPolicyPort',
        'ports is a list of ports which should be made accessible on the pods selected for this rule. Each item in this list is combined using a logical OR. If this field is empty or missing, this rule matches all ports (traffic not restricted by port). If this field is present and contains at least one item, then this rule allows traffic only if the traffic matches at least one port in the list.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.networking.v1.NetworkPolicyList': {
    description: 'NetworkPolicyList is a list of NetworkPolicy objects.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: ['[]#io.k8s.api.networking.v1.NetworkPolicy', 'items is a list of schema objects.'],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.networking.v1.NetworkPolicyPeer': {
    description:
      'NetworkPolicyPeer describes a peer to allow traffic to/from. Only certain combinations of fields are allowed',
    properties: {
      ipBlock: ['#io.k8s.api.networking.v1.IPBlock', ''],
      namespaceSelector: ['#io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', ''],
      podSelector: ['#io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', ''],
    },
  },
  'io.k8s.api.networking.v1.NetworkPolicyPort': {
    description: 'NetworkPolicyPort describes a port to allow traffic on',
    properties: {
      endPort: [
        'integer:int32',
        'endPort indicates that the range of ports from port to endPort if set, inclusive, should be allowed by the policy. This field cannot be defined if the port field is not defined or if the port field is defined as a named (string) port. The endPort must be equal or greater than port.',
      ],
      port: [
        '#io.k8s.apimachinery.pkg.util.intstr.IntOrString',
        'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
      ],
      protocol: [
        'string',
        'protocol represents the protocol (TCP, UDP, or SCTP) which traffic must match. If not specified, this field defaults to TCP.',
      ],
    },
  },
  'io.k8s.api.networking.v1.NetworkPolicySpec': {
    description: 'NetworkPolicySpec provides the specification of a NetworkPolicy',
    properties: {
      egress: [
        '[]#io.k8s.api.networking.v1.NetworkPolicyEgressRule',
        'egress is a list of egress rules to be applied to the selected pods. Outgoing traffic is allowed if there are no NetworkPolicies selecting the pod (and cluster policy otherwise allows the traffic), OR if the traffic matches at least one egress rule across all of the NetworkPolicy objects whose podSelector matches the pod. If this field is empty then this NetworkPolicy limits all outgoing traffic (and serves solely to ensure that the pods it selects are isolated by default). This field is beta-level in 1.8',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      ingress: [
        '[]#io.k8s.api.networking.v1.NetworkPolicyIngressRule',
        "ingress is a list of ingress rules to be applied to the selected pods. Traffic is allowed to a pod if there are no NetworkPolicies selecting the pod (and cluster policy otherwise allows the traffic), OR if the traffic source is the pod's local node, OR if the traffic matches at least one ingress rule across all of the NetworkPolicy objects whose podSelector matches the pod. If this field is empty then this NetworkPolicy does not allow any traffic (and serves solely to ensure that the pods it selects are isolated by default)",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      podSelector: ['#io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', ''],
      policyTypes: [
        '[]string',
        'policyTypes is a list of rule types that the NetworkPolicy relates to. Valid options are ["Ingress"], ["Egress"], or ["Ingress", "Egress"]. If this field is not specified, it will default based on the existence of ingress or egress rules; policies that contain an egress section are assumed to affect egress, and all policies (whether or not they contain an ingress section) are assumed to affect ingress. If you want to write an egress-only policy, you must explicitly specify policyTypes [ "Egress" ]. Likewise, if you want to write a policy that specifies that no egress is allowed, you must specify a policyTypes value that include "Egress" (since such a policy would not include an egress section and would otherwise default to just [ "Ingress" ]). This field is beta-level in 1.8',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.networking.v1.ServiceBackendPort': {
    description: 'ServiceBackendPort is the service port being referenced.',
    properties: {
      name: [
        'string',
        'name is the name of the port on the Service. This is a mutually exclusive setting with "Number".',
      ],
      number: [
        'integer:int32',
        'number is the numerical port number (e.g. 80) on the Service. This is a mutually exclusive setting with "Name".',
      ],
    },
  },
  'io.k8s.api.policy.v1.Eviction': {
    description:
      'Eviction evicts a pod from its node subject to certain policies and safety constraints. This is a subresource of Pod.  A request to cause such an eviction is created by POSTing to .../pods/<pod name>/evictions.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      deleteOptions: ['#io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', ''],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
    },
  },
  'io.k8s.api.policy.v1.PodDisruptionBudget': {
    description:
      'PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      spec: ['#io.k8s.api.policy.v1.PodDisruptionBudgetSpec', ''],
      status: ['#io.k8s.api.policy.v1.PodDisruptionBudgetStatus', ''],
    },
  },
  'io.k8s.api.policy.v1.PodDisruptionBudgetList': {
    description: 'PodDisruptionBudgetList is a collection of PodDisruptionBudgets.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: ['[]#io.k8s.api.policy.v1.PodDisruptionBudget', 'Items is a list of PodDisruptionBudgets'],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': {
    description: 'PodDisruptionBudgetSpec is a description of a PodDisruptionBudget.',
    properties: {
      maxUnavailable: [
        '#io.k8s.apimachinery.pkg.util.intstr.IntOrString',
        'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
      ],
      minAvailable: [
        '#io.k8s.apimachinery.pkg.util.intstr.IntOrString',
        'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
      ],
      selector: ['#io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', ''],
      unhealthyPodEvictionPolicy: [
        'string',
        'UnhealthyPodEvictionPolicy defines the criteria for when unhealthy pods should be considered for eviction. Current implementation considers healthy pods, as pods that have status.conditions item with type="Ready",status="True".  Valid policies are IfHealthyBudget and AlwaysAllow. If no policy is specified, the default behavior will be used, which corresponds to the IfHealthyBudget policy.  IfHealthyBudget policy means that running pods (status.phase="Running"), but not yet healthy can be evicted only if the guarded application is not disrupted (status.currentHealthy is at least equal to status.desiredHealthy). Healthy pods will be subject to the PDB for eviction.  AlwaysAllow policy means that all running pods (status.phase="Running"), but not yet healthy are considered disrupted and can be evicted regardless of whether the criteria in a PDB is met. This means perspective running pods of a disrupted application might not get a chance to become healthy. Healthy pods will be subject to the PDB for eviction.  Additional policies may be added in the future. Clients making eviction decisions should disallow eviction of unhealthy pods if they encounter an unrecognized policy in this field.',
      ],
    },
  },
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': {
    description:
      'PodDisruptionBudgetStatus represents information about the status of a PodDisruptionBudget. Status may trail the actual state of a system.',
    properties: {
      conditions: [
        '[]#io.k8s.apimachinery.pkg.apis.meta.v1.Condition',
        "Conditions contain conditions for PDB. The disruption controller sets the DisruptionAllowed condition. The following are known values for the reason field (additional reasons could be added in the future): - SyncFailed: The controller encountered an error and wasn't able to compute               the number of allowed disruptions. Therefore no disruptions are               allowed and the status of the condition will be False. - InsufficientPods: The number of pods are either at or below the number                     required by the PodDisruptionBudget. No disruptions are                     allowed and the status of the condition will be False. - SufficientPods: There are more pods than required by the PodDisruptionBudget.                   The condition will be True, and the number of allowed                   disruptions are provided by the disruptionsAllowed property.",
        {
          'x-kubernetes-list-map-keys': ['type'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'type',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      currentHealthy: ['integer:int32', 'current number of healthy pods'],
      desiredHealthy: ['integer:int32', 'minimum desired number of healthy pods'],
      disruptedPods: [
        '{}#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        "DisruptedPods contains information about pods whose eviction was processed by the API server eviction subresource handler but has not yet been observed by the PodDisruptionBudget controller. A pod will be in this map from the time when the API server processed the eviction request to the time when the pod is seen by PDB controller as having been marked for deletion (or after a timeout). The key in the map is the name of the pod and the value is the time when the API server processed the eviction request. If the deletion didn't occur and a pod is still there it will be removed from the list automatically by PodDisruptionBudget controller after some time. If everything goes smooth this map should be empty for the most of the time. Large number of entries in the map may indicate problems with pod deletions.",
      ],
      disruptionsAllowed: ['integer:int32', 'Number of pod disruptions that are currently allowed.'],
      expectedPods: ['integer:int32', 'total number of pods counted by this disruption budget'],
      observedGeneration: [
        'integer:int64',
        "Most recent generation observed when updating this PDB status. DisruptionsAllowed and other status information is valid only if observedGeneration equals to PDB's object generation.",
      ],
    },
    required: ['currentHealthy', 'desiredHealthy', 'disruptionsAllowed', 'expectedPods'],
  },
  'io.k8s.api.rbac.v1.AggregationRule': {
    description: 'AggregationRule describes how to locate ClusterRoles to aggregate into the ClusterRole',
    properties: {
      clusterRoleSelectors: [
        '[]#io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
        "ClusterRoleSelectors holds a list of selectors which will be used to find ClusterRoles and create the rules. If any of the selectors match, then the ClusterRole's permissions will be added",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.rbac.v1.ClusterRole': {
    description:
      'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
    properties: {
      aggregationRule: ['#io.k8s.api.rbac.v1.AggregationRule', ''],
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      rules: [
        '[]#io.k8s.api.rbac.v1.PolicyRule',
        'Rules holds all the PolicyRules for this ClusterRole',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.rbac.v1.ClusterRoleBinding': {
    description:
      'ClusterRoleBinding references a ClusterRole, but not contain it.  It can reference a ClusterRole in the global namespace, and adds who information via Subject.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      roleRef: ['#io.k8s.api.rbac.v1.RoleRef', ''],
      subjects: [
        '[]#io.k8s.api.rbac.v1.Subject',
        'Subjects holds references to the objects the role applies to.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
    required: ['roleRef'],
  },
  'io.k8s.api.rbac.v1.ClusterRoleBindingList': {
    description: 'ClusterRoleBindingList is a collection of ClusterRoleBindings',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: ['[]#io.k8s.api.rbac.v1.ClusterRoleBinding', 'Items is a list of ClusterRoleBindings'],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.rbac.v1.ClusterRoleList': {
    description: 'ClusterRoleList is a collection of ClusterRoles',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: ['[]#io.k8s.api.rbac.v1.ClusterRole', 'Items is a list of ClusterRoles'],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.rbac.v1.PolicyRule': {
    description:
      'PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.',
    properties: {
      apiGroups: [
        '[]string',
        'APIGroups is the name of the APIGroup that contains the resources.  If multiple API groups are specified, any action requested against one of the enumerated resources in any API group will be allowed. "" represents the core API group and "*" represents all API groups.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      nonResourceURLs: [
        '[]string',
        'NonResourceURLs is a set of partial urls that a user should have access to.  *s are allowed, but only as the full, final step in the path Since non-resource URLs are not namespaced, this field is only applicable for ClusterRoles referenced from a ClusterRoleBinding. Rules can either apply to API resources (such as "pods" or "secrets") or non-resource URL paths (such as "/api"),  but not both.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      resourceNames: [
        '[]string',
        'ResourceNames is an optional white list of names that the rule applies to.  An empty set means that everything is allowed.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      resources: [
        '[]string',
        "Resources is a list of resources this rule applies to. '*' represents all resources.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      verbs: [
        '[]string',
        "Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
    required: ['verbs'],
  },
  'io.k8s.api.rbac.v1.Role': {
    description:
      'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      rules: [
        '[]#io.k8s.api.rbac.v1.PolicyRule',
        'Rules holds all the PolicyRules for this Role',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
  },
  'io.k8s.api.rbac.v1.RoleBinding': {
    description:
      'RoleBinding references a role, but does not contain it.  It can reference a Role in the same namespace or a ClusterRole in the global namespace. It adds who information via Subjects and namespace information by which namespace it exists in.  RoleBindings in a given namespace only have effect in that namespace.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      ],
      roleRef: ['#io.k8s.api.rbac.v1.RoleRef', ''],
      subjects: [
        '[]#io.k8s.api.rbac.v1.Subject',
        'Subjects holds references to the objects the role applies to.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
    required: ['roleRef'],
  },
  'io.k8s.api.rbac.v1.RoleBindingList': {
    description: 'RoleBindingList is a collection of RoleBindings',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: ['[]#io.k8s.api.rbac.v1.RoleBinding', 'Items is a list of RoleBindings'],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.rbac.v1.RoleList': {
    description: 'RoleList is a collection of Roles',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      items: ['[]#io.k8s.api.rbac.v1.Role', 'Items is a list of Roles'],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
    },
    required: ['items'],
  },
  'io.k8s.api.rbac.v1.RoleRef': {
    description: 'RoleRef contains information that points to the role being used',
    properties: {
      apiGroup: ['string', 'APIGroup is the group for the resource being referenced'],
      kind: ['string', 'Kind is the type of resource being referenced'],
      name: ['string', 'Name is the name of resource being referenced'],
    },
    required: ['apiGroup', 'kind', 'name'],
  },
  'io.k8s.api.rbac.v1.Subject': {
    description:
      'Subject contains a reference to the object or user identities a role binding applies to.  This can either hold a direct API object reference, or a value for non-objects such as user and group names.',
    properties: {
      apiGroup: [
        'string',
        'APIGroup holds the API group of the referenced subject. Defaults to "" for ServiceAccount subjects. Defaults to "rbac.authorization.k8s.io" for User and Group subjects.',
      ],
      kind: [
        'string',
        'Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount". If the Authorizer does not recognized the kind value, the Authorizer should report an error.',
      ],
      name: ['string', 'Name of the object being referenced.'],
      namespace: [
        'string',
        'Namespace of the referenced object.  If the object kind is non-namespace, such as "User" or "Group", and this value is not empty the Authorizer should report an error.',
      ],
    },
    required: ['kind', 'name'],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIResource': {
    description: 'APIResource specifies the name of a resource and whether it is namespaced.',
    properties: {
      categories: [
        '[]string',
        "categories is a list of the grouped resources this resource belongs to (e.g. 'all')",
      ],
      group: [
        'string',
        'group is the preferred group of the resource.  Empty implies the group of the containing resource list. For subresources, this may have a different value, for example: Scale".',
      ],
      kind: ['string', "kind is the kind for the resource (e.g. 'Foo' is the kind for a resource 'foo')"],
      name: ['string', 'name is the plural name of the resource.'],
      namespaced: ['boolean', 'namespaced indicates if a resource is namespaced or not.'],
      shortNames: ['[]string', 'shortNames is a list of suggested short names of the resource.'],
      singularName: [
        'string',
        'singularName is the singular name of the resource.  This allows clients to handle plural and singular opaquely. The singularName is more correct for reporting status on a single item and both singular and plural are allowed from the kubectl CLI interface.',
      ],
      storageVersionHash: [
        'string',
        'The hash value of the storage version, the version this resource is converted to when written to the data store. Value must be treated as opaque by clients. Only equality comparison on the value is valid. This is an alpha feature and may change or be removed in the future. The field is populated by the apiserver only if the StorageVersionHash feature gate is enabled. This field will remain optional even if it graduates.',
      ],
      verbs: [
        '[]string',
        'verbs is a list of supported kube verbs (this includes get, list, watch, create, update, patch, delete, deletecollection, and proxy)',
      ],
      version: [
        'string',
        'version is the preferred version of the resource.  Empty implies the version of the containing resource list For subresources, this may have a different value, for example: v1 (while inside a v1beta1 version of the core resource\'s group)".',
      ],
    },
    required: ['kind', 'name', 'namespaced', 'singularName', 'verbs'],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList': {
    description:
      'APIResourceList is a list of APIResource, it is used to expose the name of the resources supported in a specific group and version, and if the resource is namespaced.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      groupVersion: ['string', 'groupVersion is the group and version this APIResourceList is for.'],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      resources: [
        '[]#io.k8s.apimachinery.pkg.apis.meta.v1.APIResource',
        'resources contains the name of the resources and if they are namespaced.',
      ],
    },
    required: ['groupVersion', 'resources'],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Condition': {
    description: 'Condition contains details for one aspect of the current state of this API Resource.',
    properties: {
      lastTransitionTime: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'lastTransitionTime is the last time the condition transitioned from one status to another. This should be when the underlying condition changed.  If that is not known, then using the time when the API field changed is acceptable.',
      ],
      message: [
        'string',
        'message is a human readable message indicating details about the transition. This may be an empty string.',
      ],
      observedGeneration: [
        'integer:int64',
        'observedGeneration represents the .metadata.generation that the condition was set based upon. For instance, if .metadata.generation is currently 12, but the .status.conditions[x].observedGeneration is 9, the condition is out of date with respect to the current state of the instance.',
      ],
      reason: [
        'string',
        "reason contains a programmatic identifier indicating the reason for the condition's last transition. Producers of specific condition types may define expected values and meanings for this field, and whether the values are considered a guaranteed API. The value should be a CamelCase string. This field may not be empty.",
      ],
      status: ['string', 'status of the condition, one of True, False, Unknown.'],
      type: ['string', 'type of condition in CamelCase or in foo.example.com/CamelCase.'],
    },
    required: ['lastTransitionTime', 'message', 'reason', 'status', 'type'],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions': {
    description: 'DeleteOptions may be provided when deleting an API object.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      dryRun: [
        '[]string',
        'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      gracePeriodSeconds: [
        'integer:int64',
        'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.',
      ],
      ignoreStoreReadErrorWithClusterBreakingPotential: [
        'boolean',
        'if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error. A resource is considered corrupt if it can not be retrieved from the underlying storage successfully because of a) its data can not be transformed e.g. decryption failure, or b) it fails to decode into an object. NOTE: unsafe deletion ignores finalizer constraints, skips precondition checks, and removes the object from the storage. WARNING: This may potentially break the cluster if the workload associated with the resource being unsafe-deleted relies on normal deletion flow. Use only if you REALLY know what you are doing. The default value is false, and the user must opt in to enable it',
      ],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      orphanDependents: [
        'boolean',
        'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the "orphan" finalizer will be added to/removed from the object\'s finalizers list. Either this field or PropagationPolicy may be set, but not both.',
      ],
      preconditions: ['#io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions', ''],
      propagationPolicy: [
        'string',
        "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground.",
      ],
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement': {
    description:
      'FieldSelectorRequirement is a selector that contains values, a key, and an operator that relates the key and values.',
    properties: {
      key: ['string', 'key is the field selector key that the requirement applies to.'],
      operator: [
        'string',
        "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist. The list of operators may grow in the future.",
      ],
      values: [
        '[]string',
        'values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
    required: ['key', 'operator'],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
    description:
      'A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.',
    properties: {
      matchExpressions: [
        '[]#io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement',
        'matchExpressions is a list of label selector requirements. The requirements are ANDed.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      matchLabels: [
        '{}string',
        'matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is "key", the operator is "In", and the values array contains only "value". The requirements are ANDed.',
      ],
    },
    extensions: { 'x-kubernetes-map-type': 'atomic' },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': {
    description:
      'A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.',
    properties: {
      key: ['string', 'key is the label key that the selector applies to.'],
      operator: [
        'string',
        "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist.",
      ],
      values: [
        '[]string',
        'values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty. This array is replaced during a strategic merge patch.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
    },
    required: ['key', 'operator'],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta': {
    description:
      'ListMeta describes metadata that synthetic resources must have, including lists and various status objects. A resource may have only one of {ObjectMeta, ListMeta}.',
    properties: {
      continue: [
        'string',
        'continue may be set if the user set a limit on the number of items returned, and indicates that the server has more data available. The value is opaque and may be used to issue another request to the endpoint that served this list to retrieve the next set of available objects. Continuing a consistent list may not be possible if the server configuration has changed or more than a few minutes have passed. The resourceVersion field returned when using this continue value will be identical to the value in the first response, unless you have received this token from an error message.',
      ],
      remainingItemCount: [
        'integer:int64',
        'remainingItemCount is the number of subsequent items in the list which are not included in this list response. If the list request contained label or field selectors, then the number of remaining items is unknown and the field will be left unset and omitted during serialization. If the list is complete (either because it is not chunking or because this is the last chunk), then there are no more remaining items and this field will be left unset and omitted during serialization. Servers older than v1.15 do not set this field. The intended use of the remainingItemCount is *estimating* the size of a collection. Clients should not rely on the remainingItemCount to be set or to be exact.',
      ],
      resourceVersion: [
        'string',
        "String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed. Value must be treated as opaque by clients and passed unmodified back to the server. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency",
      ],
      selfLink: [
        'string',
        'Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.',
      ],
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry': {
    description:
      'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.',
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the version of this resource that this field set applies to. The format is "group/version" just like the top-level APIVersion field. It is necessary to track the version of a field set because it cannot be automatically converted.',
      ],
      fieldsType: [
        'string',
        'FieldsType is the discriminator for the different fields format and version. There is currently only one possible value: "FieldsV1"',
      ],
      fieldsV1: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
        'FieldsV1 holds the first JSON version format as described in the "FieldsV1" type.',
      ],
      manager: ['string', 'Manager is an identifier of the workflow managing these fields.'],
      operation: [
        'string',
        "Operation is the type of operation which lead to this ManagedFieldsEntry being created. The only valid values for this field are 'Apply' and 'Update'.",
      ],
      subresource: [
        'string',
        'Subresource is the name of the subresource used to update that object, or empty string if the object was updated through the main resource. The value of this field is used to distinguish between managers, even if they share the same name. For example, a status update will be distinct from a regular update using the same manager name. Note that the APIVersion field is not related to the Subresource field and it always corresponds to the version of the main resource.',
      ],
      time: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'Time is the timestamp of when the ManagedFields entry was added. The timestamp will also be updated if a field is added, the manager changes any of the owned fields value or removes a field. The timestamp does not update when a field is removed from the entry because another manager took it over.',
      ],
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    description:
      'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    properties: {
      annotations: [
        '{}string',
        'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations',
      ],
      creationTimestamp: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.  Populated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      ],
      deletionGracePeriodSeconds: [
        'integer:int64',
        'Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set. May only be shortened. Read-only.',
      ],
      deletionTimestamp: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.Time',
        'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. This field is set by the server when a graceful deletion is requested by the user, and is not directly settable by a client. The resource is expected to be deleted (no longer visible from resource lists, and not reachable by name) after the time in this field, once the finalizers list is empty. As long as the finalizers list contains items, deletion is blocked. Once the deletionTimestamp is set, this value may not be unset or be set further into the future, although it may be shortened or the resource may be deleted prior to this time. For example, a user may request that a pod is deleted in 30 seconds. The Kubelet will react by sending a graceful termination signal to the containers in the pod. After that 30 seconds, the Kubelet will send a hard termination signal (SIGKILL) to the container and after cleanup, remove the pod from the API. In the presence of network partitions, this object may still exist after this timestamp, until an administrator or automated process can determine the resource is fully terminated. If not set, graceful deletion of the object has not been requested.  Populated by the system when a graceful deletion is requested. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
      ],
      finalizers: [
        '[]string',
        'Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list. If the deletionTimestamp of the object is non-nil, entries in this list can only be removed. Finalizers may be processed and removed in any order.  Order is NOT enforced because it introduces significant risk of stuck finalizers. finalizers is a shared field, any actor with permission can reorder it. If the finalizer list is processed in order, then this can lead to a situation in which the component responsible for the first finalizer in the list is waiting for a signal (field value, external system, or other) produced by a component responsible for a finalizer later in the list, resulting in a deadlock. Without enforced ordering finalizers are free to order amongst themselves and are not vulnerable to ordering changes in the list.',
        { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
      ],
      generateName: [
        'string',
        'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided. If this field is used, the name returned to the client will be different than the name passed. This value will also be combined with a unique suffix. The provided value has the same validation rules as the Name field, and may be truncated by the length of the suffix required to make the value unique on the server.  If this field is specified and the generated name exists, the server will return a 409.  Applied only if Name is not specified. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#idempotency',
      ],
      generation: [
        'integer:int64',
        'A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.',
      ],
      labels: [
        '{}string',
        'Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels',
      ],
      managedFields: [
        '[]#io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry',
        "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow. This is mostly for internal housekeeping, and users typically shouldn't need to set or understand this field. A workflow can be the user's name, a controller's name, or the name of a specific apply path like \"ci-cd\". The set of fields is always in the version that the workflow used when modifying the object.",
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      name: [
        'string',
        'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
      ],
      namespace: [
        'string',
        'Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the "default" namespace, but "default" is the canonical representation. Not all objects are required to be scoped to a namespace - the value of this field for those objects will be empty.  Must be a DNS_LABEL. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces',
      ],
      ownerReferences: [
        '[]#io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference',
        'List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected. If this object is managed by a controller, then an entry in this list will point to this controller, with the controller field set to true. There cannot be more than one managing controller.',
        {
          'x-kubernetes-list-map-keys': ['uid'],
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-patch-merge-key': 'uid',
          'x-kubernetes-patch-strategy': 'merge',
        },
      ],
      resourceVersion: [
        'string',
        'An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. May be used for optimistic concurrency, change detection, and the watch operation on a resource or set of resources. Clients must treat these values as opaque and passed unmodified back to the server. They may only be valid for a particular resource or set of resources.  Populated by the system. Read-only. Value must be treated as opaque by clients and . More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency',
      ],
      selfLink: [
        'string',
        'Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.',
      ],
      uid: [
        'string',
        'UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations.  Populated by the system. Read-only. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids',
      ],
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': {
    description:
      'OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.',
    properties: {
      apiVersion: ['string', 'API version of the referent.'],
      blockOwnerDeletion: [
        'boolean',
        'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed. See https://kubernetes.io/docs/concepts/architecture/garbage-collection/#foreground-deletion for how the garbage collector interacts with this field and enforces the foreground deletion. Defaults to false. To set this field, a user needs "delete" permission of the owner, otherwise 422 (Unprocessable Entity) will be returned.',
      ],
      controller: ['boolean', 'If true, this reference points to the managing controller.'],
      kind: [
        'string',
        'Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      name: [
        'string',
        'Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
      ],
      uid: [
        'string',
        'UID of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids',
      ],
    },
    required: ['apiVersion', 'kind', 'name', 'uid'],
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions': {
    description: 'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.',
    properties: {
      resourceVersion: ['string', 'Specifies the target ResourceVersion'],
      uid: ['string', 'Specifies the target UID.'],
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Status': {
    description: "Status is a return value for calls that don't return other objects.",
    properties: {
      apiVersion: [
        'string',
        'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
      ],
      code: ['integer:int32', 'Suggested HTTP return code for this status, 0 if not set.'],
      details: ['#io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails', ''],
      kind: [
        'string',
        'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      message: ['string', 'A human-readable description of the status of this operation.'],
      metadata: [
        '#io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta',
        'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      reason: [
        'string',
        'A machine-readable description of why this operation is in the "Failure" status. If this value is empty there is no information available. A Reason clarifies an HTTP status code but does not override it.',
      ],
      status: [
        'string',
        'Status of the operation. One of: "Success" or "Failure". More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
      ],
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause': {
    description:
      'StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered.',
    properties: {
      field: [
        'string',
        'The field of the resource that has caused this error, as named by its JSON serialization. May include dot and postfix notation for nested attributes. Arrays are zero-indexed.  Fields may appear more than once in an array of causes due to fields having multiple errors. Optional.  Examples:   "name" - the field "name" on the current resource   "items[0].name" - the field "name" on the first array entry in "items"',
      ],
      message: [
        'string',
        'A human-readable description of the cause of the error.  This field may be presented as-is to a reader.',
      ],
      reason: [
        'string',
        'A machine-readable description of the cause of the error. If this value is empty there is no information available.',
      ],
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails': {
    description:
      'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response. The Reason field of a Status object defines what attributes will be set. Clients must ignore fields that do not match the defined type of each attribute, and should assume that any attribute may be empty, invalid, or under defined.',
    properties: {
      causes: [
        '[]#io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause',
        'The Causes array includes more details associated with the StatusReason failure. Not all StatusReasons may provide detailed causes.',
        { 'x-kubernetes-list-type': 'atomic' },
      ],
      group: ['string', 'The group attribute of the resource associated with the status StatusReason.'],
      kind: [
        'string',
        'The kind attribute of the resource associated with the status StatusReason. On some operations may differ from the requested resource Kind. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      ],
      name: [
        'string',
        'The name attribute of the resource associated with the status StatusReason (when there is a single name which can be described).',
      ],
      retryAfterSeconds: [
        'integer:int32',
        'If specified, the time in seconds before the operation should be retried. Some errors may indicate the client must take an alternate action - for those errors this field may indicate how long to wait before taking the alternate action.',
      ],
      uid: [
        'string',
        'UID of the resource. (when there is a single resource which can be described). More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids',
      ],
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent': {
    description: 'Event represents a single event to a watched resource.',
    properties: {
      object: [
        '#io.k8s.apimachinery.pkg.runtime.RawExtension',
        'Object is:  * If Type is Added or Modified: the new state of the object.  * If Type is Deleted: the state of the object immediately before deletion.  * If Type is Error: *Status is recommended; other types may make sense    depending on context.',
      ],
      type: ['string', ''],
    },
    required: ['object', 'type'],
  },
};
