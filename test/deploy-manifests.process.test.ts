import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { CART_ENV, loadCartConfig } from '@storefront/cart';
import { CATALOG_ENV, loadCatalogConfig } from '@storefront/catalog';
import { GATEWAY_DEFAULT_PORT, SUBGRAPHS, type SubgraphName } from '@storefront/contracts';
import { gatewayEnvShape, loadGatewayConfig } from '@storefront/gateway';
import { loadOrderConfig, ORDER_ENV } from '@storefront/order';
import { envPrefix, subgraphEnvShape } from '@storefront/service-kit';
import { compiledEntryOf, readRepositoryDockerfile, REPO_ROOT } from '@storefront/testing';

/**
 * No cluster can run here, so this keeps deploy/ honest the way docker-compose.test.ts keeps compose:
 * each overlay is rendered with `kubectl kustomize` (offline), every object is validated against the
 * Kubernetes schemas that kubernetes-models bundles, and the services' containers are checked against
 * their configuration code: every variable they get is one they read, their configuration loads from it,
 * ports, probe paths, shutdown timing, the image's user and files, and who may call whom.
 */

const OVERLAYS = ['development', 'production'] as const;
type Overlay = (typeof OVERLAYS)[number];
const SUBGRAPH_NAMES = Object.keys(SUBGRAPHS) as SubgraphName[];
const SERVICES = [...SUBGRAPH_NAMES, 'gateway'] as const;
type ServiceName = (typeof SERVICES)[number];
const NAME_LABEL = 'app.kubernetes.io/name';

// Rendered YAML, untyped: the tests below check it field by field (and kubernetes-models against the schemas).
type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [key: string]: any };

/** The models of every kind deploy/ uses: an object of any other kind fails the test until added here. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'batch/v1/Job': Job,
};

/** The variables each service reads (its configuration's zod shapes) and its loader. */
const SERVICE_CONFIG: Record<ServiceName, { known: Set<string>; load: (env: Record<string, string>) => { port: number; shutdown: { graceMs: number; timeoutMs: number } } }> = {
  catalog: { known: new Set([...Object.keys(subgraphEnvShape('catalog', SUBGRAPHS.catalog.port)), ...Object.keys(CATALOG_ENV)]), load: loadCatalogConfig },
  cart: { known: new Set([...Object.keys(subgraphEnvShape('cart', SUBGRAPHS.cart.port)), ...Object.keys(CART_ENV)]), load: loadCartConfig },
  order: { known: new Set([...Object.keys(subgraphEnvShape('order', SUBGRAPHS.order.port)), ...Object.keys(ORDER_ENV)]), load: loadOrderConfig },
  gateway: { known: new Set(Object.keys(gatewayEnvShape())), load: loadGatewayConfig },
};
const DEFAULT_PORTS: Record<ServiceName, number> = { ...Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, SUBGRAPHS[n].port])), gateway: GATEWAY_DEFAULT_PORT } as Record<ServiceName, number>;

/**
 * Who calls whom, from the configuration code rather than a list kept by hand: a service whose variables
 * include `<NAME>_URL` calls subgraph NAME (the gateway calls every subgraph; cart and order call the
 * internal APIs they are configured for).
 */
const callersOf = (callee: SubgraphName) => SERVICES.filter((caller) => caller !== callee && SERVICE_CONFIG[caller].known.has(`${envPrefix(callee)}_URL`));

function requireKubectl132(): void {
  let version: { clientVersion: { major: string; minor: string; gitVersion: string } };
  try {
    version = JSON.parse(execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' }));
  } catch (error) {
    throw new Error(
      `kubectl is needed to render deploy/ (\`kubectl kustomize\`, offline; client 1.32 or later): ${(error as Error).message}. ` +
        'Install it from pkgs.k8s.io or the Google Cloud SDK apt repository (Debian bookworm\'s kubernetes-client is 1.20, too old); .ci/run checks it.',
    );
  }
  const { major, minor, gitVersion } = version.clientVersion;
  if (Number(major) !== 1 || parseInt(minor, 10) < 32) {
    throw new Error(`kubectl ${gitVersion} is older than 1.32: its kustomize cannot render deploy/ as the tests expect. Install kubectl 1.32 or later.`);
  }
}

interface Rendered {
  objects: K8sObject[];
  find(kind: string, name: string): K8sObject;
  all(kind: string): K8sObject[];
  /** A workload's pod spec (Deployment, StatefulSet or Job). */
  deployment(name: ServiceName): K8sObject;
  job(): K8sObject;
  /** The environment a container gets, ConfigMaps and Secrets resolved; Secrets not in the render get a stand-in. */
  envOf(container: any): Record<string, string>;
}

/** One stand-in per Secret key that production references but does not contain: equal references, equal values. */
const standIns = new Map<string, string>();
const standIn = (secret: string, key: string) => {
  const id = `${secret}/${key}`;
  if (!standIns.has(id)) standIns.set(id, /DATABASE_URL$/.test(key) ? `mysql://storefront:${randomBytes(12).toString('hex')}@db.internal:3306` : randomBytes(24).toString('hex'));
  return standIns.get(id)!;
};

function render(overlay: Overlay): Rendered {
  const yaml = execFileSync('kubectl', ['kustomize', `deploy/overlays/${overlay}`], { cwd: REPO_ROOT, encoding: 'utf8' });
  const objects = parseAllDocuments(yaml).map((doc) => doc.toJS() as K8sObject).filter(Boolean);
  const all = (kind: string) => objects.filter((o) => o.kind === kind);
  const find = (kind: string, name: string) => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`${overlay}: no ${kind} ${name}`);
    return found;
  };
  const data = (kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> | undefined => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) return undefined;
    return kind === 'Secret'
      ? Object.fromEntries(Object.entries({ ...found.data } as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]).concat(Object.entries(found.stringData ?? {})))
      : found.data;
  };
  const secretValue = (name: string, key: string) => {
    const secret = data('Secret', name);
    if (secret) {
      if (!(key in secret)) throw new Error(`${overlay}: Secret ${name} has no ${key}`);
      return secret[key];
    }
    return standIn(name, key);
  };
  return {
    objects,
    find,
    all,
    deployment: (name) => find('Deployment', name),
    job: () => {
      const jobs = all('Job');
      expect(jobs).toHaveLength(1);
      return jobs[0];
    },
    envOf(container) {
      const env: Record<string, string> = {};
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef) Object.assign(env, data('ConfigMap', source.configMapRef.name) ?? fail(`${overlay}: no ConfigMap ${source.configMapRef.name}`));
        else throw new Error(`${overlay}: envFrom a Secret: name its keys one by one instead`);
      }
      for (const entry of container.env ?? []) {
        if ('value' in entry) env[entry.name] = String(entry.value);
        else if (entry.valueFrom?.configMapKeyRef) {
          const { name, key } = entry.valueFrom.configMapKeyRef;
          const map = data('ConfigMap', name) ?? fail(`${overlay}: no ConfigMap ${name}`);
          if (!(key in map)) throw new Error(`${overlay}: ConfigMap ${name} has no ${key}`);
          env[entry.name] = map[key];
        } else if (entry.valueFrom?.secretKeyRef) env[entry.name] = secretValue(entry.valueFrom.secretKeyRef.name, entry.valueFrom.secretKeyRef.key);
        else throw new Error(`${overlay}: ${entry.name} has no value this test can read`);
      }
      return env;
    },
  };
}

function fail(message: string): never {
  throw new Error(message);
}

const containerOf = (workload: K8sObject, name: string) => {
  const container = workload.spec.template.spec.containers.find((c: any) => c.name === name);
  if (!container) throw new Error(`${workload.kind} ${workload.metadata.name} has no container ${name}`);
  return container;
};
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);
const dockerfile = readRepositoryDockerfile();
const imageUser = Number(/^(\d+)/.exec(dockerfile.at(-1)!.instructions.filter((i) => i.keyword === 'USER').at(-1)!.args)![1]);

const rendered = {} as Record<Overlay, Rendered>;

beforeAll(() => {
  requireKubectl132();
  for (const overlay of OVERLAYS) rendered[overlay] = render(overlay);
}, 60_000);

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  const r = () => rendered[overlay];

  test('every object is valid against the Kubernetes schemas', () => {
    expect(r().objects.length).toBeGreaterThan(0);
    for (const object of r().objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      if (!Model) throw new Error(`${object.apiVersion} ${object.kind} ${object.metadata.name}: add its kubernetes-models class to MODELS`);
      try {
        new Model(object).validate();
      } catch (error) {
        throw new Error(`${object.kind} ${object.metadata.name}: ${(error as Error).message}`);
      }
    }
  });

  test.each(SERVICES)('%s: a Deployment, a Service, an autoscaler and a disruption budget that all select its pods', (name) => {
    const deployment = r().deployment(name);
    const podLabels = deployment.spec.template.metadata.labels;
    expect(podLabels[NAME_LABEL]).toBe(name);
    expect(matches(deployment.spec.selector.matchLabels, podLabels)).toBe(true);
    expect(matches(r().find('Service', name).spec.selector, podLabels)).toBe(true);
    expect(matches(r().find('PodDisruptionBudget', name).spec.selector.matchLabels, podLabels)).toBe(true);
    const hpa = r().find('HorizontalPodAutoscaler', name);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    // The autoscaler owns the count; a replicas field would be reset at every apply.
    expect(deployment.spec.replicas).toBeUndefined();
    // Old replicas serve until new ones are ready (new ones wait for the migration Job).
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    // Scaling on CPU needs a CPU request.
    expect(containerOf(deployment, name).resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
  });

  test.each(SERVICES)('%s: reads only its own variables, and its configuration loads from them', (name) => {
    const env = r().envOf(containerOf(r().deployment(name), name));
    expect(Object.keys(env).filter((key) => !SERVICE_CONFIG[name].known.has(key))).toEqual([]);
    expect(() => SERVICE_CONFIG[name].load(env)).not.toThrow();
    if (overlay === 'production') expect(env.NODE_ENV).toBe('production');
  });

  test.each(SERVICES)('%s: runs the compiled service from the image, listens where its Service and probes point', (name) => {
    const deployment = r().deployment(name);
    const container = containerOf(deployment, name);
    const [node, entry, ...rest] = container.command;
    expect([node, rest, container.args]).toEqual(['node', [], undefined]);
    const dir = name === 'gateway' ? 'gateway' : `subgraphs/${name}`;
    expect(compiledEntryOf(dockerfile, entry).source).toBe(`${dir}/src/index.ts`);
    expect(container.image).toBe(r().deployment('gateway').spec.template.spec.containers[0].image);

    const config = SERVICE_CONFIG[name].load(r().envOf(container));
    const http = container.ports.find((p: any) => p.name === 'http');
    expect([http.containerPort, config.port]).toEqual([DEFAULT_PORTS[name], DEFAULT_PORTS[name]]);
    const port = r().find('Service', name).spec.ports.find((p: any) => p.name === 'http');
    expect([port.port, port.targetPort]).toEqual([config.port, 'http']);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
  });

  test.each(SERVICES)('%s: stops as the service drains: a preStop sleep, then its whole shutdown before Kubernetes would kill it', (name) => {
    const deployment = r().deployment(name);
    const container = containerOf(deployment, name);
    const { shutdown } = SERVICE_CONFIG[name].load(r().envOf(container));
    const [sleep, seconds, ...rest] = container.lifecycle.preStop.exec.command;
    expect([sleep, rest]).toEqual(['sleep', []]);
    const preStopMs = Number(seconds) * 1000;
    // Between the pod leaving its Services and refusing connections: at least the grace the service
    // would take on its own (SHUTDOWN_GRACE_MS's default), the time a load balancer needs.
    const defaultGraceMs = SERVICE_CONFIG[name].load({}).shutdown.graceMs;
    expect(preStopMs + shutdown.graceMs).toBeGreaterThanOrEqual(defaultGraceMs);
    // SIGKILL comes terminationGracePeriodSeconds after the preStop hook starts.
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(preStopMs + shutdown.timeoutMs + 1000);
  });

  test('every pod of the shop runs as the image\'s non-root user, read-only, without privileges', () => {
    const workloads = [...SERVICES.map((name) => r().deployment(name)), r().job()];
    for (const workload of workloads) {
      const pod = workload.spec.template.spec;
      expect([workload.metadata.name, pod.securityContext]).toEqual([
        workload.metadata.name,
        expect.objectContaining({ runAsNonRoot: true, runAsUser: imageUser, seccompProfile: { type: 'RuntimeDefault' } }),
      ]);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of pod.containers) {
        expect([container.name, container.securityContext]).toEqual([
          container.name,
          { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        ]);
      }
    }
  });

  test.each(SUBGRAPH_NAMES)('%s: the gateway and its internal callers reach it at its Service, with its secret', (callee) => {
    const own = SERVICE_CONFIG[callee].load(r().envOf(containerOf(r().deployment(callee), callee))) as unknown as { port: number; secret: string };
    for (const caller of callersOf(callee)) {
      const env = r().envOf(containerOf(r().deployment(caller), caller));
      const url = new URL(env[`${envPrefix(callee)}_URL`]);
      expect([caller, url.hostname, Number(url.port)]).toEqual([caller, callee, own.port]);
      expect([caller, env[`${envPrefix(callee)}_SUBGRAPH_SECRET`]]).toEqual([caller, own.secret]);
    }
    // The gateway's cost estimate and the services must agree on the list sizes they share.
    const gateway = r().envOf(containerOf(r().deployment('gateway'), 'gateway'));
    const env = r().envOf(containerOf(r().deployment(callee), callee));
    for (const shared of ['CART_MAX_LINES', 'CATALOG_MAX_VARIANTS_PER_PRODUCT'].filter((key) => key in env)) expect(env[shared]).toBe(gateway[shared]);
  });

  test('network policies: nothing reaches a pod unless allowed; a subgraph accepts exactly the services that call it, the gateway only the ingress controller', () => {
    const policies = r().all('NetworkPolicy');
    expect(policies.find((p) => p.metadata.name === 'default-deny-ingress')?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const allowedFor = (name: string) => {
      const rules = policies.filter((p) => matches(p.spec.podSelector.matchLabels ?? { none: 'none' }, { [NAME_LABEL]: name })).flatMap((p) => p.spec.ingress ?? []);
      return rules.flatMap((rule: any) =>
        rule.from.map((peer: any) => ({
          pods: peer.podSelector?.matchExpressions?.find((e: any) => e.key === NAME_LABEL && e.operator === 'In')?.values.sort() ?? peer.podSelector?.matchLabels?.[NAME_LABEL],
          namespace: peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'],
          ports: rule.ports.map((p: any) => p.port),
        })),
      );
    };
    for (const callee of SUBGRAPH_NAMES) {
      expect([callee, allowedFor(callee)]).toEqual([callee, [{ pods: [...callersOf(callee)].sort(), namespace: undefined, ports: ['http'] }]]);
    }
    expect(callersOf('catalog').sort()).toEqual(['cart', 'gateway', 'order']);
    const ingressClass = r().find('Ingress', 'storefront').spec.ingressClassName;
    expect(allowedFor('gateway')).toEqual([{ pods: undefined, namespace: `ingress-${ingressClass}`, ports: ['http'] }]);
  });

  test('an Ingress serves the gateway over TLS, with the certificate from a Secret', () => {
    const ingress = r().find('Ingress', 'storefront');
    const [rule] = ingress.spec.rules;
    expect(ingress.spec.tls).toEqual([{ hosts: [rule.host], secretName: expect.any(String) }]);
    expect(rule.http.paths).toEqual([{ path: '/', pathType: 'Prefix', backend: { service: { name: 'gateway', port: { name: 'http' } } } }]);
  });

  test('one Job migrates every subgraph with its compiled migrate command and its own configuration; the services do not migrate', () => {
    const job = r().job();
    const image = r().deployment('gateway').spec.template.spec.containers[0].image as string;
    // Each release its own Job (a Job's pod template is immutable): named after the image tag it runs.
    expect(job.metadata.name).toBe(`storefront-migrate-${image.split(':').at(-1)}`);
    expect(job.spec.template.spec.containers.map((c: any) => c.name).sort()).toEqual([...SUBGRAPH_NAMES].sort());
    for (const name of SUBGRAPH_NAMES) {
      const container = containerOf(job, name);
      expect(container.image).toBe(image);
      expect([container.command.length, container.command[0]]).toEqual([2, 'node']);
      expect(compiledEntryOf(dockerfile, container.command[1]).source).toBe(`subgraphs/${name}/src/migrate.ts`);
      const jobConfig = SERVICE_CONFIG[name].load(r().envOf(container)) as unknown as { databaseUrl?: string; databaseName: string };
      const serviceConfig = SERVICE_CONFIG[name].load(r().envOf(containerOf(r().deployment(name), name))) as unknown as {
        databaseUrl?: string;
        databaseName: string;
        migrateOnStart: boolean;
      };
      expect(jobConfig.databaseUrl).toMatch(/^mysql:\/\//);
      expect([jobConfig.databaseUrl, jobConfig.databaseName]).toEqual([serviceConfig.databaseUrl, serviceConfig.databaseName]);
      expect(serviceConfig.migrateOnStart).toBe(false);
    }
  });
});

test('production: at least two replicas of everything, secrets only by name, the release image from a registry', () => {
  const r = rendered.production;
  expect(r.all('Secret')).toEqual([]);
  for (const name of SERVICES) expect([name, r.find('HorizontalPodAutoscaler', name).spec.minReplicas >= 2]).toEqual([name, true]);
  expect(r.deployment('gateway').spec.template.spec.containers[0].image).toMatch(/^[a-z0-9.-]+\.[a-z]+\/.+:\d+\.\d+\.\d+$/);
});

test('development: one replica of each service, on the MariaDB it runs, which only the subgraphs and the migration Job reach', () => {
  const r = rendered.development;
  for (const name of SERVICES) {
    const hpa = r.find('HorizontalPodAutoscaler', name);
    expect([name, hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([name, 1, 1]);
  }
  const mariadb = r.find('StatefulSet', 'mariadb');
  const password = r.envOf(containerOf(mariadb, 'mariadb')).MARIADB_ROOT_PASSWORD;
  const port = r.find('Service', 'mariadb').spec.ports[0].port;
  for (const name of SUBGRAPH_NAMES) {
    const url = new URL(r.envOf(containerOf(r.deployment(name), name)).DATABASE_URL);
    expect([name, url.hostname, Number(url.port), decodeURIComponent(url.password)]).toEqual([name, 'mariadb', port, password]);
  }
  const policy = r.find('NetworkPolicy', 'mariadb');
  const allowed = policy.spec.ingress[0].from[0].podSelector.matchExpressions[0].values.sort();
  expect(allowed).toEqual([...SUBGRAPH_NAMES, r.job().spec.template.metadata.labels[NAME_LABEL]].sort());
});
