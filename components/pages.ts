/** The pages keyscope is growing into (DESIGN.md), who they are for and what each answers. */
export const PAGES = [
  { href: '/oncall', label: 'On-call', audience: 'SRE on call', summary: 'Are unwraps succeeding and fast? Error budget and burn rates, failing services and keys, KMS throttling, DEK cache, ingest health.' },
  { href: '/security', label: 'Security', audience: 'Security analyst', summary: 'Who used which KEK, from where and when: audit search over CloudTrail KMS events and application key operations.' },
  { href: '/keys', label: 'Keys', audience: 'Security analyst', summary: 'Every KEK with its usage, callers, errors, rotation and policy changes; one page per key and per principal.' },
  { href: '/alerts', label: 'Alerts', audience: 'Security analyst', summary: 'Anomalous access and SLO burn-rate alerts with their evidence, severity and ATT&CK technique.' },
  { href: '/blast-radius', label: 'Blast radius', audience: 'Security analyst', summary: 'If a DEK, KEK version or principal is compromised: which objects and tenants are exposed.' },
  { href: '/rotation', label: 'Rotation', audience: 'Executive / key owner', summary: 'Rotation status per KEK, keys overdue, rewrap backlog and how fast it drains.' },
  { href: '/posture', label: 'Posture', audience: 'Executive', summary: 'Compliance posture and its trend: rotation on, keys overdue, audit completeness, SLO attainment, open critical alerts.' },
] as const;
