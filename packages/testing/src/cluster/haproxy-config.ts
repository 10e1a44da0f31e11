import { HEADERS } from '@storefront/service-kit';
import { SHOP_PROCESS_NAMES, type ShopProcessName } from '../shop-processes';
import type { ClusterPorts, ReplicaSpec } from './topology';

export interface HaproxyConfigOptions {
  replicas: readonly ReplicaSpec[];
  ports: ClusterPorts;
  /** Certificate and key in one PEM file, for the HTTPS frontend. */
  tlsPem: string;
  /** Where HAProxy's runtime API listens (a Unix socket): tests and operators can disable servers there. */
  adminSocket: string;
  /** How often each replica's `/ready` is checked; two failures take it out, two successes bring it back. */
  checkIntervalMs?: number;
}

/** The public headers every answer gets; HSTS only over TLS (a browser ignores it on plain HTTP). */
const SECURITY_HEADERS = [
  'http-response set-header X-Content-Type-Options nosniff',
  'http-response set-header X-Frame-Options DENY',
  'http-response set-header Referrer-Policy no-referrer',
  'http-response set-header Strict-Transport-Security "max-age=63072000; includeSubDomains" if { ssl_fc }',
];

/**
 * HAProxy's configuration for the cluster: the public frontend (HTTP on the gateway port, HTTPS beside
 * it) in front of the gateway replicas, one frontend per subgraph in front of its replicas, health checks
 * on `/ready`, and a stats page.
 *
 * Retries never double a write. A request whose connection could not be made never arrived, so it is
 * sent to another replica whatever it is (`retry-on conn-failure`, `option redispatch`). A request that
 * reached a replica which then died (closed without answering, or did not answer in time) is sent again
 * only when it is safe: for a subgraph, when the caller marked it `x-retry-safe` (the gateway marks
 * queries; internal calls mark routes their contract declares idempotent); for the gateway, when it is
 * a GET, which GraphQL allows only for queries. `disable-l7-retry` leaves connection-failure retries on.
 */
export function haproxyConfig(options: HaproxyConfigOptions): string {
  const inter = options.checkIntervalMs ?? 1_000;
  const lines: string[] = [
    '# Written by `npm run cluster` at every start; edits are overwritten.',
    'global',
    '    log stdout format raw local0 notice',
    '    maxconn 4096',
    `    stats socket ${options.adminSocket} mode 600 level admin`,
    '    ssl-default-bind-options ssl-min-ver TLSv1.2',
    '',
    'defaults',
    '    mode http',
    '    log global',
    '    option dontlognull',
    '    timeout connect 1s',
    '    timeout client 60s',
    '    timeout server 60s',
    '    timeout http-request 10s',
    '    timeout http-keep-alive 10s',
    '    timeout queue 5s',
    '    timeout check 2s',
    '    retries 2',
    '    option redispatch 1',
    `    default-server check inter ${inter} fastinter ${Math.max(100, Math.round(inter / 2))} fall 2 rise 2`,
    '',
    'frontend public',
    `    bind 127.0.0.1:${options.ports.gateway}`,
    `    bind 127.0.0.1:${options.ports.https} ssl crt ${options.tlsPem} alpn http/1.1`,
    '    option forwardfor',
    // Only the gateway decides what is safe to retry below it; a client's mark means nothing.
    `    http-request del-header ${HEADERS.retrySafe}`,
    '    http-request set-header X-Forwarded-Proto https if { ssl_fc }',
    ...SECURITY_HEADERS.map((line) => `    ${line}`),
    '    default_backend gateway',
    '',
  ];
  for (const service of SHOP_PROCESS_NAMES) {
    if (service !== 'gateway') {
      lines.push(`frontend ${service}`, `    bind 127.0.0.1:${options.ports[service]}`, `    default_backend ${service}`, '');
    }
    lines.push(...backend(service, options.replicas.filter((r) => r.service === service)), '');
  }
  lines.push('listen stats', `    bind 127.0.0.1:${options.ports.stats}`, '    stats enable', '    stats uri /', '    stats refresh 2s', '    stats show-legends', '');
  return lines.join('\n');
}

function backend(service: ShopProcessName, replicas: readonly ReplicaSpec[]): string[] {
  const safe = service === 'gateway' ? 'METH_GET' : `{ req.hdr(${HEADERS.retrySafe}) -m str 1 }`;
  return [
    `backend ${service}`,
    '    balance roundrobin',
    '    option httpchk',
    '    http-check send meth GET uri /ready',
    '    http-check expect status 200',
    '    retry-on conn-failure empty-response response-timeout',
    `    http-request disable-l7-retry unless ${safe}`,
    ...replicas.map((r) => `    server ${r.id} ${r.host}:${r.port}`),
  ];
}
