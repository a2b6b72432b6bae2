//! Deterministic synthetic documentation corpus for benchmarking `folio build` (and Hugo).
//!
//! Usage: `cargo run --release --example gen_corpus -- N OUT_DIR [--force]`
//!
//! Writes `OUT_DIR/book.toml` and N markdown pages (plus one `_index.md` per
//! section folder) under `OUT_DIR/content/`, in nested sections 2-3 levels deep.
//! Every page has YAML front matter (title, description, weight, tags, kind and,
//! for about 30% of pages, status/owner/due/effort) and a body of roughly 8 KB:
//! H2-H4 headings (some repeated, to exercise slug de-duplication), paragraphs,
//! lists, a table, a task list, about two fenced code blocks in rotating
//! languages, and on some pages GitHub alerts and footnotes. Each page links to
//! 2-5 other generated files with relative `.md` paths, some with a `#anchor`
//! naming a heading that is unique on the target page; all links resolve.
//!
//! About a quarter of the pages are runbooks (`kind: runbook`, service, severity,
//! review dates) answering 1-2 alerts each. Alert names are modelled on public runbook
//! repositories (kube-prometheus, OpenShift): 20-60 characters, CamelCase with
//! acronyms and shared prefixes (`KubePod…`, `NodeFilesystem…`, `OVNKubernetes…`), a
//! few snake_case, kebab-case and dotted. The first runbooks take a hand-written list
//! (`NAMED_ALERTS`), the rest come from several thousand prefix × condition
//! combinations (`ALERT_FAMILIES`); no name is on two runbooks, so each alert has
//! exactly one right answer (`bench/search-quality.sh` relies on it).
//!
//! `content/api/platform.yaml` is an OpenAPI 3.1 document of a realistic platform API: 14
//! resources with list/create/get/update/delete operations (70 in all), shared parameters and
//! responses, schemas that refer to each other (with cycles), examples, deprecated operations.
//!
//! Only std is used; the PRNG is `SplitMix64` seeded from a constant, and every
//! page draws from its own stream, so the output is byte-identical for a given N.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

/// Root seed of every random stream.
const SEED: u64 = 0xF011_0C0D_5EED_2024;

/// Stream tags, so that unrelated decisions never share random draws.
const STREAM_TREE: u64 = 1;
const STREAM_OUTLINE: u64 = 2;
const STREAM_BODY: u64 = 3;
const STREAM_SECTION: u64 = 4;

// ---------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

// ---------------------------------------------------------------------------
// Word pools
// ---------------------------------------------------------------------------

/// Technical vocabulary for prose, identifiers and titles (lowercase ASCII only).
#[rustfmt::skip]
const VOCAB: &[&str] = &[
    "cluster", "node", "replica", "shard", "partition", "leader", "follower", "quorum",
    "consensus", "election", "lease", "heartbeat", "timeout", "retry", "backoff", "jitter",
    "latency", "throughput", "bandwidth", "queue", "topic", "consumer", "producer", "broker",
    "offset", "checkpoint", "snapshot", "journal", "ledger", "index", "schema", "migration",
    "rollback", "rollout", "canary", "deployment", "release", "artifact", "pipeline", "runner",
    "container", "image", "registry", "volume", "mount", "namespace", "pod", "sidecar",
    "ingress", "egress", "gateway", "proxy", "balancer", "endpoint", "route", "certificate",
    "token", "secret", "vault", "credential", "policy", "role", "permission", "audit",
    "tenant", "account", "quota", "budget", "limit", "threshold", "alert", "incident",
    "outage", "postmortem", "runbook", "dashboard", "metric", "histogram", "counter", "gauge",
    "trace", "span", "sampler", "exporter", "collector", "agent", "daemon", "scheduler",
    "worker", "thread", "coroutine", "future", "executor", "reactor", "buffer", "cache",
    "eviction", "hit", "miss", "warmup", "compaction", "tombstone", "bloom", "filter",
    "manifest", "config", "override", "default", "flag", "toggle", "feature", "experiment",
    "cohort", "segment", "region", "zone", "datacenter", "rack", "host", "instance",
    "volume", "disk", "block", "sector", "inode", "filesystem", "socket", "listener",
    "handshake", "cipher", "payload", "header", "trailer", "frame", "packet", "datagram",
    "stream", "channel", "mailbox", "actor", "message", "envelope", "codec", "serializer",
    "parser", "lexer", "token", "grammar", "compiler", "linker", "binary", "library",
    "module", "package", "crate", "dependency", "version", "semver", "changelog", "tag",
    "branch", "commit", "merge", "rebase", "review", "approval", "ticket", "backlog",
    "sprint", "milestone", "roadmap", "estimate", "effort", "owner", "oncall", "rotation",
    "escalation", "pager", "severity", "priority", "latch", "mutex", "semaphore", "barrier",
    "lock", "contention", "deadlock", "starvation", "fairness", "backpressure", "watermark", "window",
    "aggregate", "rollup", "projection", "query", "planner", "optimizer", "join", "predicate",
    "cursor", "transaction", "isolation", "durability", "consistency", "availability", "tolerance", "failover",
    "standby", "primary", "secondary", "archive", "restore", "backup", "retention", "expiry",
    "webhook", "callback", "handler", "middleware", "router", "controller", "reconciler", "operator",
    "terraform", "ansible", "kubernetes", "postgres", "redis", "kafka", "nginx", "envoy",
    "prometheus", "grafana", "jaeger", "elastic", "sqlite", "rocksdb", "etcd", "consul",
    "linux", "kernel", "cgroup", "seccomp", "sandbox", "capability", "syscall", "signal",
    "process", "fork", "pipe", "descriptor", "allocator", "arena", "heap", "stack",
    "pointer", "reference", "lifetime", "borrow", "closure", "iterator", "trait", "generic",
    "macro", "template", "render", "layout", "theme", "asset", "bundle", "minifier",
    "search", "ranking", "tokenizer", "stemmer", "posting", "document", "corpus", "embedding",
    "vector", "matrix", "tensor", "gradient", "batch", "epoch", "sample", "dataset",
    "baseline", "benchmark", "profile", "flamegraph", "regression", "improvement", "tradeoff", "constraint",
];

/// Short function words mixed into sentences so the prose reads like English.
#[rustfmt::skip]
const GLUE: &[&str] = &[
    "the", "the", "the", "a", "an", "of", "to", "and", "with", "for", "in", "on", "when",
    "before", "after", "while", "each", "every", "this", "that", "is", "was", "should", "must",
    "can", "will", "may", "not", "only", "also", "then", "from", "into", "by", "per", "across",
];

#[rustfmt::skip]
const VERBS: &[&str] = &[
    "configure", "rotate", "migrate", "debug", "scale", "deploy", "monitor", "audit", "restore",
    "tune", "provision", "decommission", "benchmark", "harden", "upgrade", "drain", "rebalance",
    "inspect", "validate", "recover", "replace", "throttle", "archive", "document",
];

#[rustfmt::skip]
const ADJECTIVES: &[&str] = &[
    "primary", "regional", "internal", "external", "stale", "hot", "cold", "shared", "legacy",
    "degraded", "encrypted", "partitioned", "replicated", "ephemeral", "durable", "noisy",
    "slow", "critical", "nightly", "blue", "green", "staging", "production", "manual",
];

#[rustfmt::skip]
const TOP_SECTIONS: &[&str] = &[
    "platform", "ops", "api", "security", "data", "networking", "storage", "compute",
    "observability", "release", "identity", "billing", "frontend", "mobile", "search",
    "messaging", "ml", "infra", "support", "compliance",
];

#[rustfmt::skip]
const SUB_SECTIONS: &[&str] = &[
    "db", "cache", "queue", "auth", "ingest", "deploy", "alerts", "backup", "dns", "cdn",
    "logging", "metrics", "tracing", "scheduler", "gateway", "workers", "secrets", "migrations",
    "edge", "config", "builds", "tests", "storage", "network", "kafka", "redis", "postgres",
    "k8s", "terraform", "oncall", "incidents", "capacity", "costs", "sdk", "cli", "web",
    "ios", "android", "pipelines", "indexing",
];

#[rustfmt::skip]
const TAGS: &[&str] = &[
    "kubernetes", "postgres", "redis", "kafka", "terraform", "security", "networking", "dns",
    "tls", "observability", "logging", "metrics", "tracing", "alerting", "oncall", "incident",
    "backup", "disaster-recovery", "performance", "capacity", "cost", "ci-cd", "release",
    "migration", "database", "caching", "queueing", "storage", "compliance", "identity",
    "api", "frontend", "mobile", "search", "ml", "data-pipeline", "testing", "docs",
    "architecture", "deprecation",
];

const KINDS: &[&str] = &["guide", "runbook", "reference", "plan"];
const STATUSES: &[&str] = &["planned", "in-progress", "blocked", "done"];
#[rustfmt::skip]
const OWNERS: &[&str] = &[
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
    "mallory", "niaj", "olivia", "peggy", "trent",
];
const EFFORTS: &[&str] = &["2h", "4h", "6h", "8h", "12h", "16h", "24h", "32h", "40h"];

/// H2 headings; picked without repetition within a page.
#[rustfmt::skip]
const H2_POOL: &[&str] = &[
    "Overview", "Background", "Prerequisites", "Configuration", "Deployment", "Monitoring",
    "Troubleshooting", "Rollback", "Capacity planning", "Security considerations",
    "Open questions", "Migration steps", "Architecture", "Failure modes", "Testing",
    "Operational notes", "Known limitations", "Performance", "Dependencies", "Next steps",
];

/// H3 headings; deliberately repeated within a page so slugs need de-duplication.
#[rustfmt::skip]
const H3_POOL: &[&str] = &[
    "Examples", "Notes", "Details", "Verification", "Example", "Caveats", "Steps",
    "Before you begin", "Expected output", "Cleanup",
];

const H4_POOL: &[&str] = &["Edge cases", "Example", "Notes", "Why this matters"];

const ALERTS: &[&str] = &["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];

#[rustfmt::skip]
const LANGS: &[&str] = &[
    "bash", "rust", "python", "javascript", "typescript", "json", "yaml", "toml", "sql", "go",
    "dockerfile", "hcl", "ini", "html", "css",
];

#[rustfmt::skip]
const TABLE_HEADERS: &[&str] = &[
    "Name", "Owner", "Status", "Region", "Replicas", "Latency", "Version", "Notes",
    "Threshold", "Window", "Limit", "Default",
];

// ---------------------------------------------------------------------------
// Runbook alert names
// ---------------------------------------------------------------------------

/// Alert names written after public runbook repositories (prometheus-operator/kube-prometheus,
/// OpenShift's runbooks and the like), 20-60 characters. The first runbooks of the corpus, in
/// page order, answer these, so every corpus of a few hundred pages or more has them all.
#[rustfmt::skip]
const NAMED_ALERTS: &[&str] = &[
    "OVNKubernetesControllerDisconnectedSouthboundDatabase", "ACMMetricsCollectorForwardRemoteWriteError",
    "ClusterOperatorDegraded", "etcdHighNumberOfFailedGRPCRequests", "PrometheusRuleFailures",
    "AlertmanagerClusterFailedToSendAlerts", "CephOSDDiskNotResponding", "KubeAPIErrorBudgetBurn",
    "NodeFilesystemSpaceFillingUp", "NodeFilesystemAlmostOutOfFiles", "KubeDeploymentReplicasMismatch",
    "KubeStatefulSetUpdateNotRolledOut", "KubePersistentVolumeInodesFillingUp", "KubeClientCertificateExpiration",
    "KubeletPodStartUpLatencyHigh", "KubeletServerCertificateRenewalErrors", "KubeAggregatedAPIErrors",
    "NodeHighNumberConntrackEntriesUsed", "NodeClockNotSynchronising", "NodeTextFileCollectorScrapeError",
    "KubeStateMetricsShardingMismatch", "ConfigReloaderSidecarErrors", "PrometheusOperatorRejectedResources",
    "PrometheusErrorSendingAlertsToSomeAlertmanagers", "PrometheusNotificationQueueRunningFull",
    "PrometheusRemoteWriteDesiredShards", "AlertmanagerMembersInconsistent", "ThanosRuleQueueIsDroppingAlerts",
    "etcdDatabaseHighFragmentationRatio", "OVNKubernetesNorthboundDatabaseLeaderError",
    "OVNKubernetesSouthboundDatabaseClusterIDError", "OVNKubernetesNodeOVSOverflowKernel",
    "ACMMetricsCollectorFederationError", "ClusterVersionOperatorDown", "CephClusterCriticallyFull",
    "CephPGRepairTakingTooLong", "CephMonHighNumberOfLeaderChanges", "V4SubnetAllocationThresholdExceeded",
    "HighOverallControlPlaneCPU", "ExtremelyHighIndividualControlPlaneCPU", "APIRemovedInNextEUSReleaseInUse",
    "MachineConfigDaemonDrainError", "SamplesImagestreamImportFailing", "KubeVirtComponentExceedsRequestedMemory",
    "VirtControllerRESTErrorsHigh", "ODFPersistentVolumeMirrorStatus", "CoreDNSForwardLatencyHigh",
    "PodDisruptionBudgetAtLimit", "pg_replication_slot_lag_critical", "redis_memory_fragmentation_high",
    "kafka_consumer_group_lag_too_high", "nginx-ingress-upstream-latency-high", "vault-seal-status-sealed-too-long",
    "elasticsearch.cluster.health.red", "kafka.broker.offline.partitions.count",
];

/// Families of generated alert names: every prefix × condition, named the way the rule groups of
/// those repositories are (`KubePod` + `CrashLooping`, `NodeFilesystem` + `SpaceFillingUp`), so
/// names share prefixes and words. Combinations outside 20-60 characters are left out.
#[rustfmt::skip]
const ALERT_FAMILIES: &[(&[&str], &[&str])] = &[
    (&["KubePod", "KubeContainer", "KubeJob", "KubeCronJob", "KubeInitContainer"],
     &["CrashLooping", "NotReady", "NotHealthy", "OOMKilled", "ImagePullBackOff", "Evicted", "PendingTooLong",
       "StuckTerminating", "RestartingTooOften", "CPUThrottlingHigh", "MemoryUsageHigh", "MemoryLimitReached",
       "StartupProbeFailing", "LivenessProbeFailing", "ReadinessProbeFailing", "FailedScheduling", "ErrImagePull",
       "CreateContainerConfigError", "EphemeralStorageFull", "Waiting", "Failed"]),
    (&["KubeDeployment", "KubeStatefulSet", "KubeDaemonSet", "KubeReplicaSet", "KubeHpa", "KubeVpa",
       "KubePodDisruptionBudget"],
     &["ReplicasMismatch", "GenerationMismatch", "RolloutStuck", "NotScheduled", "MisScheduled",
       "UpdateNotRolledOut", "MaxedOut", "AtLimit", "Unavailable", "ProgressDeadlineExceeded", "PausedTooLong",
       "MinReplicasNotMet", "ScalingLimited"]),
    (&["KubePersistentVolume", "KubePersistentVolumeClaim", "KubePVC", "KubeCSIDriver", "KubeVolumeSnapshot",
       "KubeStorageClass"],
     &["FillingUp", "InodesFillingUp", "Errors", "PendingTooLong", "NotBound", "ResizeFailing", "AttachFailing",
       "MountFailing", "ProvisioningFailed", "UsageCritical", "SnapshotFailed", "ReadOnly"]),
    (&["KubeAPI", "KubeAggregatedAPI", "KubeScheduler", "KubeControllerManager", "KubeProxy", "Kubelet",
       "KubeStateMetrics", "KubeDNS", "KubeAdmissionWebhook", "KubeCloudControllerManager"],
     &["Down", "ErrorsHigh", "LatencyHigh", "ErrorBudgetBurn", "TerminatedRequests", "ClientCertificateExpiration",
       "ServerCertificateExpiration", "CertificateRenewalErrors", "TooManyRequests", "WatchErrors", "ListErrors",
       "RequestThrottlingHigh", "TLSHandshakeErrors", "LeaderElectionLost", "GRPCRequestsSlow", "HighQueueDepth"]),
    (&["KubeCPU", "KubeMemory", "KubeCPUQuota", "KubeMemoryQuota", "KubeQuota", "KubeEphemeralStorage",
       "KubePIDQuota"],
     &["Overcommit", "AlmostFull", "FullyUsed", "Exceeded", "RequestsTooHigh", "LimitsTooHigh"]),
    (&["KubeNode", "KubeletNode", "KubeMasterNode", "KubeWorkerNode", "KubeInfraNode"],
     &["NotReady", "Unreachable", "ReadinessFlapping", "DiskPressure", "MemoryPressure", "PIDPressure",
       "NetworkUnavailable", "Cordoned", "TooManyPods", "ClockSkew", "KernelDeadlock"]),
    (&["NodeFilesystem", "NodeRootFilesystem", "NodeDataFilesystem", "NodeEphemeralFilesystem"],
     &["SpaceFillingUp", "AlmostOutOfSpace", "AlmostOutOfFiles", "FilesFillingUp", "ReadOnly", "InodesExhausted",
       "MountFailed", "ErrorsDetected", "DeviceError"]),
    (&["NodeNetwork", "NodeNetworkInterface", "NodeBond", "NodeVLAN", "NodeNIC"],
     &["ReceiveErrs", "TransmitErrs", "Flapping", "Down", "DroppedPacketsHigh", "SaturationHigh", "CarrierLost",
       "MTUMismatch", "RxQueueOverflow"]),
    (&["NodeDisk", "NodeDiskIO", "NodeNVMe", "NodeRAID", "NodeSMART"],
     &["Saturation", "LatencyHigh", "ErrorsDetected", "ReadErrors", "WriteErrors", "Degraded", "DiskFailure",
       "WearLevelCritical", "TemperatureHigh"]),
    (&["NodeCPU", "NodeMemory", "NodeSystem", "NodeLoad", "NodeSwap", "NodeHugePages"],
     &["HighUsage", "Saturation", "HighUtilization", "MajorPagesFaults", "PressureStall", "OvercommitHigh",
       "Exhausted"]),
    (&["NodeClock", "NodeNTP", "NodeTimeSync"], &["NotSynchronising", "SkewDetected", "DriftHigh", "SourceUnreachable"]),
    (&["NodeSystemd", "NodeSystemdService", "NodeTextFileCollector", "NodeExporter", "NodeFileDescriptor",
       "NodeConntrack", "NodeKernel"],
     &["Failed", "ScrapeError", "Down", "LimitReached", "TableFull", "HighNumberEntriesUsed", "OOMKillDetected",
       "SoftLockup"]),
    (&["Prometheus", "PrometheusOperator", "PrometheusAgent", "Alertmanager", "AlertmanagerCluster", "Thanos",
       "ThanosQuery", "ThanosRule", "ThanosStore", "ThanosCompact", "ThanosSidecar", "ThanosReceive", "Mimir",
       "MimirIngester", "Loki", "LokiIngester", "Cortex", "Tempo", "Grafana", "PushGateway"],
     &["Down", "BadConfig", "FailedReload", "ConfigInconsistent", "RuleFailures", "MissingRuleEvaluations",
       "RemoteWriteBehind", "RemoteStorageFailures", "NotIngestingSamples", "TSDBCompactionsFailing",
       "TSDBReloadsFailing", "HighQueryLoad", "QueueIsDroppingAlerts", "FailedToSendAlerts", "MembersInconsistent",
       "SDRefreshFailure", "TargetLimitHit", "ScrapeSampleLimitHit", "LabelLimitHit", "OutOfOrderTimestamps",
       "DuplicateTimestamps", "KubernetesListWatchFailures", "GRPCErrorRateHigh", "HTTPRequestErrorRateHigh",
       "BucketOperationsFailing", "CompactionHalted", "WALCorruptions", "QueryTimeoutsHigh", "StorageBlocksCorrupted", "HeadSeriesTooMany"]),
    (&["etcd", "etcdMember", "etcdCluster", "etcdDatabase", "etcdBackend", "etcdProxy"],
     &["HighNumberOfFailedGRPCRequests", "GRPCRequestsSlow", "HighNumberOfLeaderChanges",
       "HighNumberOfFailedProposals", "HighFsyncDurations", "HighCommitDurations", "QuotaLowSpace",
       "ExcessiveGrowth", "HighFragmentationRatio", "CommunicationSlow", "InsufficientMembers", "NoLeader",
       "DefragFailed", "SnapshotFailed", "TLSCertificateExpiring"]),
    (&["ClusterOperator", "ClusterVersionOperator", "ClusterMonitoringOperator", "ClusterAutoscaler",
       "ClusterNetworkOperator", "ClusterStorageOperator", "ClusterIngressOperator", "ClusterAuthenticationOperator",
       "ClusterImageRegistryOperator", "MachineConfigOperator", "MachineAPIOperator", "MachineHealthCheck",
       "MachineConfigPool", "MachineConfigDaemon", "ClusterCSIDriverOperator", "ConsoleOperator", "DNSOperator",
       "MarketplaceOperator", "OLMOperator"],
     &["Down", "Degraded", "Flapping", "Unavailable", "NotUpgradeable", "ReconcileErrors", "SyncFailed",
       "NotAvailable", "ProgressingTooLong", "DrainError", "RebootError", "UpdateStuck", "CertificateExpiring", "ConditionUnknown", "PodsCrashLooping"]),
    (&["OVNKubernetes", "OVNKubernetesNode", "OVNKubernetesController", "OVNKubernetesMaster",
       "OVNKubernetesNorthboundDatabase", "OVNKubernetesSouthboundDatabase", "OVS", "OVSDBServer", "SDNPod",
       "NetworkPolicy", "EgressIP", "EgressFirewall", "MultusAdmissionController", "Cilium", "CiliumAgent",
       "CalicoNode", "CalicoTypha"],
     &["Disconnected", "LeaderError", "ClusterIDError", "ResourceRetryFailure", "OverflowKernel",
       "HighMemoryUsage", "RaftLeaderMissing", "ClusterMembershipError", "StaleData", "SyncFailed",
       "AllocationThresholdExceeded", "BGPPeerDown", "PolicyDropsHigh", "EndpointRegenerationFailing"]),
    (&["ACMMetricsCollector", "ACMObservability", "ACMRemoteWrite", "ACMThanos", "ACMPolicyController",
       "ACMClusterManager", "ACMSearch", "ACMGrafana", "ACMAddonManager", "ACMKlusterlet", "HubCluster",
       "ManagedCluster"],
     &["ForwardRemoteWriteError", "FederationError", "ScrapeError", "Down", "ReconcileErrors",
       "CertificateExpiring", "LeaseExpired", "Unavailable", "CompactHalted", "QueueFull", "SyncFailed",
       "ImportFailed"]),
    (&["Ceph", "CephCluster", "CephOSD", "CephMon", "CephMgr", "CephMds", "CephRGW", "CephPG", "CephPool",
       "CephRBDMirror", "ODFPersistentVolume", "NooBaa", "NooBaaBucket", "RookCeph", "RookOperator"],
     &["CriticallyFull", "NearFull", "ErrorState", "WarningState", "DiskNotResponding", "DiskUnavailable",
       "Flapping", "QuorumAtRisk", "IsAbsent", "MissingReplicas", "RepairTakingTooLong", "SlowOps",
       "MirrorStatusError", "CapacityWarning", "NodeDown", "VersionMismatch", "DaemonCrashed", "ScrubbingStuck"]),
    (&["NginxIngress", "IngressController", "HAProxy", "HAProxyBackend", "Envoy", "EnvoyCluster", "IstioPilot",
       "IstioIngressGateway", "Traefik", "CoreDNS", "ExternalDNS", "CertManager", "CertManagerCertificate",
       "Keepalived", "MetalLB", "APIGateway"],
     &["Down", "HighLatency", "ErrorRateHigh", "UpstreamLatencyHigh", "TLSCertificateExpiring",
       "TLSHandshakeErrors", "ConfigReloadFailed", "ForwardLatencyHigh", "PanicsDetected", "DNSLookupFailures",
       "NoHealthyUpstreams", "ConnectionPoolExhausted", "RateLimited", "RouteNotAdmitted", "SyncErrors"]),
    (&["Postgres", "PostgresReplica", "PostgresPrimary", "PgBouncer", "Patroni", "MySQL", "MySQLReplica",
       "Galera", "CloudSQL"],
     &["Down", "ReplicationLagHigh", "ReplicationBroken", "TooManyConnections", "ConnectionPoolExhausted",
       "DeadlocksDetected", "SlowQueries", "DiskSpaceLow", "BackupFailed", "WALArchivingFailing",
       "CheckpointTooSlow", "TransactionIDWraparound", "ReplicationSlotLagHigh", "LongRunningTransaction",
       "TableBloatHigh"]),
    (&["Redis", "RedisSentinel", "RedisCluster", "Memcached", "Valkey", "KeyDB"],
     &["Down", "MemoryFragmentationHigh", "OutOfMemory", "EvictionsHigh", "TooManyConnections",
       "ReplicationBroken", "SplitBrain", "RejectedConnections", "KeyspaceMissesHigh", "SlowlogGrowing",
       "MasterLinkDown", "QuorumLost"]),
    (&["Elasticsearch", "ElasticsearchCluster", "ElasticsearchNode", "OpenSearch", "MongoDB", "MongoDBReplicaSet",
       "Cassandra", "ScyllaDB", "ClickHouse"],
     &["Down", "ClusterHealthRed", "ClusterHealthYellow", "DiskWatermarkReached", "HeapUsageHigh",
       "UnassignedShards", "ReplicationLagHigh", "PendingTasksHigh", "CompactionBacklog", "ReadRepairFailures",
       "TombstonesHigh", "SlowQueries"]),
    (&["Kafka", "KafkaBroker", "KafkaTopic", "KafkaConsumerGroup", "KafkaConnect", "KafkaMirrorMaker",
       "Zookeeper", "RabbitMQ", "RabbitMQQueue", "NATSServer", "NATSJetStream", "Pulsar"],
     &["Down", "UnderReplicatedPartitions", "OfflinePartitions", "ConsumerLagHigh", "ISRShrinking",
       "LeaderElectionFlapping", "DiskUsageHigh", "QueueGrowing", "UnackedMessagesHigh", "ConnectorFailed",
       "RequestLatencyHigh", "QuorumLost"]),
    (&["Vault", "VaultRaft", "Consul", "ConsulServer", "Nomad", "MinIO", "MinIOCluster"],
     &["Down", "SealedTooLong", "LeaderLost", "RaftPeerUnhealthy", "TokenExpiringSoon", "AuditLogFailing",
       "DiskOffline", "QuorumLost", "HighRequestLatency", "CertificateExpiringSoon"]),
    (&["ArgoCD", "ArgoCDApplication", "ArgoRollouts", "FluxKustomization", "FluxHelmRelease", "Tekton",
       "TektonPipelineRun", "Jenkins", "GitLabRunner", "Velero", "VeleroBackup", "Harbor", "ImageRegistry",
       "SamplesImagestream"],
     &["SyncFailed", "OutOfSync", "Degraded", "ReconciliationFailing", "ImportFailing", "BackupFailed",
       "BackupPartiallyFailed", "QueueBacklogHigh", "JobsStuck", "StorageFull", "Down", "ReplicationFailing"]),
    (&["KubeVirt", "VirtAPI", "VirtController", "VirtHandler", "VirtOperator", "VirtLauncher", "CDIDataVolume",
       "CDIImport", "HyperConverged"],
     &["Down", "RESTErrorsHigh", "RESTErrorsBurst", "ComponentExceedsRequestedMemory",
       "ComponentExceedsRequestedCPU", "NoReadyPods", "TooFewReadyPods", "MigrationFailed", "ImportFailing",
       "OperatorDegraded", "UnsupportedCondition"]),
    (&["CheckoutService", "PaymentsAPI", "BillingWorker", "SearchAPI", "IdentityProvider",
       "NotificationDispatcher", "InventorySync", "ShippingQuote", "RecommendationModel", "AuthGateway",
       "SessionStore", "UploadWorker"],
     &["ErrorBudgetBurn", "LatencySLOBreach", "AvailabilitySLOBreach", "HighErrorRate", "HighLatency",
       "QueueBacklogHigh", "WorkerSaturation", "DependencyDown", "CircuitBreakerOpen", "ThroughputDropped",
       "ServerErrorRateHigh"]),
    (&["AWSLoadBalancer", "AWSRDS", "AWSEBSVolume", "AWSS3Bucket", "AWSLambda", "GCPCloudSQL", "GCPPubSub",
       "AzureBlobStorage", "CloudNAT", "CloudLoadBalancer", "TerraformState"],
     &["HealthyHostsLow", "BurstBalanceLow", "CPUCreditsExhausted", "ThrottlingHigh", "ReplicaLagHigh",
       "SubscriptionBacklogHigh", "QuotaNearLimit", "PortExhaustion", "ErrorRateHigh", "DriftDetected"]),
    (&["TLSCertificate", "ClientCertificate", "ServingCertificate", "IngressCertificate", "WebhookCertificate",
       "ACMECertificate", "DNSRecord", "DNSZone", "DNSResolver"],
     &["ExpiringSoon", "Expired", "RenewalFailed", "ChainInvalid", "MismatchDetected", "ResolutionFailures",
       "PropagationSlow", "ServfailRateHigh"]),
    (&["JVM", "JVMHeap", "GoRuntime", "NodeJSEventLoop", "PythonWorker", "DotNetRuntime"],
     &["GCPauseTimeHigh", "GCOverheadHigh", "MemoryUsageHigh", "ThreadsDeadlocked", "GoroutinesLeaking",
       "EventLoopLagHigh", "OutOfMemoryErrors", "FileDescriptorsExhausted"]),
    (&["Fluentd", "FluentBit", "Vector", "Logstash", "OpenTelemetryCollector", "OTelCollector", "Promtail",
       "Filebeat"],
     &["Down", "BufferQueueFull", "RetryQueueGrowing", "OutputErrorsHigh", "RecordsDropped", "ExporterQueueFull",
       "ExporterSendFailed", "ReceiverRefusedSpans", "BackpressureActive", "ConfigReloadFailed", "HighMemoryUsage"]),
    (&["AirflowScheduler", "AirflowDAG", "SparkDriver", "SparkExecutor", "DatabricksJob", "FlinkJobManager",
       "FlinkTaskManager", "RayCluster", "KubeflowPipeline", "TritonInferenceServer", "GPUNode",
       "NvidiaDCGMExporter"],
     &["Down", "HeartbeatMissing", "TaskFailuresHigh", "RunDurationHigh", "CheckpointFailing", "BackpressureHigh",
       "RestartsHigh", "QueueBacklogHigh", "GPUMemoryExhausted", "XIDErrorsDetected", "ThermalThrottling",
       "SLAMissed"]),
    (&["Falco", "FalcoRule", "Gatekeeper", "KyvernoPolicy", "TrivyOperator", "ClamAV", "AuditLog", "OAuthServer",
       "KeycloakRealm", "LDAPSync", "SSHDaemon"],
     &["ViolationsDetected", "AdmissionDenied", "WebhookTimeout", "CriticalVulnerabilities", "ScanFailing",
       "SignaturesOutdated", "LoginFailuresHigh", "BruteForceDetected", "TokenIssuanceFailing", "SyncFailed",
       "Down"]),
    (&["Longhorn", "LonghornVolume", "OpenEBS", "PortworxVolume", "NetAppTrident", "NFSServer", "GlusterFS",
       "CSISnapshotController", "Restic", "KastenK10"],
     &["Degraded", "Faulted", "ReplicaRebuilding", "ActualSpaceUsageHigh", "NodeStorageFull", "BackupFailed",
       "RestoreFailed", "MountStale", "LatencyHigh", "Down"]),
    (&["CDNOrigin", "CloudflareTunnel", "CloudFront", "FastlyService", "AkamaiEdge", "WAFRuleSet", "RateLimiter",
       "BotProtection"],
     &["ErrorRateHigh", "OriginLatencyHigh", "CacheHitRatioLow", "TLSHandshakeFailures", "BlockedRequestsSpike",
       "HealthCheckFailing", "Down", "PurgeFailing"]),
    (&["WindowsNode", "WindowsService", "HyperVHost", "VMwareESXiHost", "VMwareDatastore", "VSphereVM",
       "ProxmoxNode", "IPMISensor", "UPSBattery", "PDUOutlet"],
     &["Down", "CPUUsageHigh", "MemoryUsageHigh", "DiskSpaceLow", "ServiceStopped", "SnapshotTooOld",
       "DatastoreAlmostFull", "PowerSupplyFailed", "TemperatureCritical", "FanFailure", "BatteryLow"]),
    (&["Celery", "CeleryWorker", "Sidekiq", "SidekiqQueue", "Resque", "BullMQ", "TemporalWorker",
       "TemporalWorkflow", "AmazonSQS", "GooglePubSubSubscription"],
     &["QueueLatencyHigh", "BacklogGrowing", "WorkersDown", "JobsFailing", "RetryQueueGrowing",
       "DeadLetterQueueGrowing", "TaskTimeoutsHigh", "ScheduleToStartLatencyHigh", "OldestMessageAgeHigh"]),
    (&["BGPSession", "BGPPeer", "OSPFNeighbor", "SwitchPort", "RouterInterface", "FirewallHA", "VPNTunnel",
       "IPsecTunnel", "WireGuardPeer", "LoadBalancerPool"],
     &["Down", "Flapping", "ErrorsHigh", "UtilizationHigh", "PacketLossHigh", "LatencyHigh", "FailoverOccurred",
       "HandshakeStale", "PrefixesDropped"]),
    (&["postgres_primary", "postgres_replica", "redis_cache", "kafka_broker", "haproxy_backend", "nginx_upstream",
       "celery_worker", "sidekiq_queue"],
     &["_replication_lag_high", "_disk_usage_critical", "_connections_saturated", "_error_rate_high",
       "_latency_p99_high", "_queue_depth_growing", "_memory_usage_critical"]),
    (&["payments-api", "checkout-web", "search-indexer", "auth-gateway", "billing-worker"],
     &["-error-budget-burn-fast", "-error-budget-burn-slow", "-availability-slo-breach", "-latency-slo-breach"]),
];

/// Generated alert names not yet on a runbook, in name order, so that the names next to one are
/// its family; a runbook's second alert is the next free name after its first.
struct AlertPool {
    names: Vec<String>,
    used: Vec<bool>,
    free: usize,
    /// Every name handed out so far and the named alerts, in lower case (Folio takes alert names
    /// case-insensitively): never handed out again, whatever the round.
    taken: std::collections::BTreeSet<String>,
    /// How many times the pool was refilled with suffixed names (very large corpora only).
    refills: usize,
}

impl AlertPool {
    fn new() -> Self {
        let taken = NAMED_ALERTS.iter().map(|n| n.to_lowercase()).collect();
        let mut pool = AlertPool { names: Vec::new(), used: Vec::new(), free: 0, taken, refills: 0 };
        pool.fill("");
        pool
    }

    /// Every family name ending in `suffix`, 20-60 characters and not taken, in name order.
    fn fill(&mut self, suffix: &str) {
        let mut names = std::collections::BTreeMap::new();
        for (prefixes, conditions) in ALERT_FAMILIES {
            for prefix in *prefixes {
                for condition in *conditions {
                    let name = format!("{prefix}{condition}{suffix}");
                    if (20..=60).contains(&name.len()) && !self.taken.contains(&name.to_lowercase()) {
                        names.entry(name.to_lowercase()).or_insert(name);
                    }
                }
            }
        }
        self.names = names.into_values().collect();
        self.used = vec![false; self.names.len()];
        self.free = self.names.len();
    }

    /// Takes the first free name at or after `at` (wrapping); returns its position and the name.
    fn take(&mut self, at: usize) -> (usize, String) {
        while self.free == 0 {
            self.refills += 1;
            let suffix = match self.refills {
                1 => "Critical".to_string(),
                2 => "Warning".to_string(),
                n => n.to_string(),
            };
            self.fill(&suffix);
        }
        let mut i = at % self.names.len();
        while self.used[i] {
            i = (i + 1) % self.names.len();
        }
        self.used[i] = true;
        self.free -= 1;
        self.taken.insert(self.names[i].to_lowercase());
        (i, self.names[i].clone())
    }
}

/// Gives each runbook page 1-2 alert names, no name to two pages. The pages that are runbooks
/// are found by replaying the first draws of their front matter; the number of alerts and where
/// in the pool they come from are derived from the title hash. The named alerts go first, in
/// order, then generated ones.
fn assign_alerts(pages: &mut [Page]) {
    let distinct: std::collections::BTreeSet<String> = NAMED_ALERTS.iter().map(|n| n.to_lowercase()).collect();
    assert!(distinct.len() == NAMED_ALERTS.len(), "a named alert is listed twice");
    assert!(NAMED_ALERTS.iter().all(|n| (20..=60).contains(&n.len())), "a named alert is not 20-60 characters");
    let mut named = NAMED_ALERTS.iter();
    let mut pool = AlertPool::new();
    for (i, page) in pages.iter_mut().enumerate() {
        let mut rng = Rng::stream(SEED, STREAM_BODY, i as u64);
        if front_draws(&mut rng).kind != "runbook" {
            continue;
        }
        let h = title_hash(&page.title);
        let mut at = (h >> 40) as usize;
        for _ in 0..1 + (h >> 33) % 2 {
            let name = match named.next() {
                Some(name) => name.to_string(),
                None => {
                    let (position, name) = pool.take(at);
                    at = position + 1;
                    name
                }
            };
            page.alerts.push(name);
        }
    }
}

// ---------------------------------------------------------------------------
// Small text helpers
// ---------------------------------------------------------------------------

/// `write!` into a String cannot fail.
macro_rules! w {
    ($dst:expr, $($arg:tt)*) => {{
        let _ = write!($dst, $($arg)*);
    }};
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn snake(rng: &mut Rng) -> String {
    format!("{}_{}", rng.pick(VOCAB), rng.pick(VOCAB))
}

fn camel(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(VERBS), capitalize(rng.pick(VOCAB)))
}

fn pascal(rng: &mut Rng) -> String {
    format!("{}{}", capitalize(rng.pick(VOCAB)), capitalize(rng.pick(VOCAB)))
}

/// Heading slug as documented for the corpus: lowercase, spaces to `-`,
/// punctuation stripped. Generated headings contain only letters and spaces.
fn slugify(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// A civil date `days` after 2024-01-01 (Howard Hinnant's days-from-civil inverse).
fn date_after_2024(days: i64) -> String {
    let z = 19_723 + days + 719_468; // 19_723 = days from 1970-01-01 to 2024-01-01
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn sentence(rng: &mut Rng, out: &mut String) {
    let words = rng.range(8, 18);
    for i in 0..words {
        if i > 0 {
            out.push(' ');
        }
        let word = if rng.chance(35) { rng.pick(GLUE) } else { rng.pick(VOCAB) };
        if i == 0 {
            out.push_str(&capitalize(word));
            continue;
        }
        match rng.below(100) {
            0..=3 => w!(out, "`{}`", snake(rng)),
            4..=6 => w!(out, "*{word}*"),
            7..=8 => w!(out, "**{word}**"),
            9 => w!(out, "`--{}-{}`", rng.pick(VOCAB), rng.pick(VOCAB)),
            _ => out.push_str(word),
        }
        if i + 1 < words && rng.chance(6) {
            out.push(',');
        }
    }
    out.push('.');
}

/// Between `lo` and `hi` (inclusive) words, lowercase, no punctuation.
fn phrase(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let words = rng.range(lo, hi);
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(if i % 3 == 1 && rng.chance(50) { rng.pick(GLUE) } else { rng.pick(VOCAB) });
    }
    s
}

// ---------------------------------------------------------------------------
// Corpus model
// ---------------------------------------------------------------------------

struct Section {
    /// Directory relative to `content/`, without trailing slash ("" for the root).
    dir: String,
    title: String,
    weight: usize,
}

struct Heading {
    level: usize,
    text: String,
}

struct Page {
    /// Path relative to `content/`.
    path: String,
    /// Index into `sections` of the leaf folder holding the page.
    section: usize,
    weight: usize,
    title: String,
    outline: Vec<Heading>,
    /// Slugs of headings whose text occurs once on the page (safe `#anchor` targets).
    anchors: Vec<String>,
    /// Alert names of a runbook page (empty on other pages); no name is on two pages.
    alerts: Vec<String>,
}

struct Corpus {
    sections: Vec<Section>,
    pages: Vec<Page>,
}

/// Picks `count` distinct names from `pool`, falling back to numbered names.
fn distinct_names(rng: &mut Rng, pool: &[&str], count: usize) -> Vec<String> {
    let mut names: Vec<String> = pool.iter().map(|s| (*s).to_string()).collect();
    rng.shuffle(&mut names);
    let mut n = 2;
    while names.len() < count {
        let extra: Vec<String> = pool.iter().map(|s| format!("{s}-{n}")).collect();
        names.extend(extra);
        n += 1;
    }
    names.truncate(count);
    names
}

fn section_title(dir: &str) -> String {
    dir.rsplit('/').next().unwrap_or(dir).split('-').map(capitalize).collect::<Vec<_>>().join(" ")
}

fn build_corpus(n: usize) -> Corpus {
    let mut rng = Rng::stream(SEED, STREAM_TREE, 0);

    // 1. Leaf folder sizes: 20..=60 pages each, summing exactly to n.
    let mut leaf_sizes = Vec::new();
    let mut remaining = n;
    while remaining > 0 {
        let size = if remaining <= 60 {
            remaining
        } else {
            let s = rng.range(20, 60);
            if remaining - s < 20 {
                remaining - 20
            } else {
                s
            }
        };
        leaf_sizes.push(size);
        remaining -= size;
    }
    let leaves = leaf_sizes.len();

    // 2. Top-level sections (up to 20), leaves spread evenly across them.
    let tops = leaves.div_ceil(3).min(TOP_SECTIONS.len());
    let top_names = distinct_names(&mut rng, TOP_SECTIONS, tops);

    let mut sections = vec![Section { dir: String::new(), title: "Synthetic corpus".into(), weight: 0 }];
    let mut leaf_dirs = Vec::with_capacity(leaves);
    for (t, top_name) in top_names.iter().enumerate() {
        let mut k = leaves / tops + usize::from(t < leaves % tops);
        sections.push(Section { dir: top_name.clone(), title: section_title(top_name), weight: (t + 1) * 10 });
        // 3. Group the leaves: a group of one is a level-2 leaf folder, a larger
        //    group a level-2 folder holding level-3 leaf folders.
        let mut groups = Vec::new();
        while k > 0 {
            let g = rng.range(1, 4).min(k);
            groups.push(g);
            k -= g;
        }
        let sub_names = distinct_names(&mut rng, SUB_SECTIONS, groups.len());
        for (gi, (&g, sub)) in groups.iter().zip(&sub_names).enumerate() {
            let dir = format!("{top_name}/{sub}");
            sections.push(Section { dir: dir.clone(), title: section_title(sub), weight: (gi + 1) * 10 });
            if g == 1 {
                leaf_dirs.push(sections.len() - 1);
                continue;
            }
            let leaf_names = distinct_names(&mut rng, SUB_SECTIONS, g);
            for (li, leaf) in leaf_names.iter().enumerate() {
                sections.push(Section {
                    dir: format!("{dir}/{leaf}"),
                    title: section_title(leaf),
                    weight: (li + 1) * 10,
                });
                leaf_dirs.push(sections.len() - 1);
            }
        }
    }

    // 4. Pages, numbered globally so file names are unique and stable.
    let width = n.saturating_sub(1).to_string().len().max(4);
    let mut pages = Vec::with_capacity(n);
    for (&section, &size) in leaf_dirs.iter().zip(&leaf_sizes) {
        for pos in 0..size {
            let i = pages.len();
            let path = format!("{}/page-{:0width$}.md", sections[section].dir, i);
            pages.push(make_page(i, path, section, (pos + 1) * 10));
        }
    }
    assign_alerts(&mut pages);
    Corpus { sections, pages }
}

/// Title and heading outline of page `i`; computed before any body so that
/// links can name anchors on their targets.
fn make_page(i: usize, path: String, section: usize, weight: usize) -> Page {
    let mut rng = Rng::stream(SEED, STREAM_OUTLINE, i as u64);
    let title =
        format!("{} {} {} {}", capitalize(rng.pick(VERBS)), rng.pick(ADJECTIVES), rng.pick(VOCAB), rng.pick(VOCAB));

    let mut h2s: Vec<&str> = H2_POOL.to_vec();
    rng.shuffle(&mut h2s);
    let mut outline = Vec::new();
    for h2 in h2s.iter().take(rng.range(3, 6)) {
        let text = if rng.chance(25) {
            format!("{} the {} {}", capitalize(rng.pick(VERBS)), rng.pick(VOCAB), rng.pick(VOCAB))
        } else {
            (*h2).to_string()
        };
        outline.push(Heading { level: 2, text });
        for _ in 0..rng.range(0, 3) {
            let text = if rng.chance(30) {
                format!("{} {}", capitalize(rng.pick(ADJECTIVES)), rng.pick(VOCAB))
            } else {
                rng.pick(H3_POOL).to_string()
            };
            outline.push(Heading { level: 3, text });
            if rng.chance(20) {
                outline.push(Heading { level: 4, text: rng.pick(H4_POOL).to_string() });
            }
        }
    }

    let slugs: Vec<String> = outline.iter().map(|h| slugify(&h.text)).collect();
    let anchors = slugs.iter().filter(|s| slugs.iter().filter(|t| t == s).count() == 1).cloned().collect();
    Page { path, section, weight, title, outline, anchors, alerts: Vec::new() }
}

/// Relative link from a file in directory `from_dir` to `to_path` (both relative to content/).
fn relative_link(from_dir: &str, to_path: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to_path.split('/').collect();
    let dirs_of_to = &to[..to.len() - 1];
    let common = from.iter().zip(dirs_of_to).take_while(|(a, b)| a == b).count();
    let mut link = "../".repeat(from.len() - common);
    link.push_str(&to[common..].join("/"));
    link
}

fn index_path(dir: &str) -> String {
    if dir.is_empty() {
        "_index.md".into()
    } else {
        format!("{dir}/_index.md")
    }
}

// ---------------------------------------------------------------------------
// Code blocks
// ---------------------------------------------------------------------------

fn code_block(rng: &mut Rng, lang: &str, page: usize, out: &mut String) {
    let noun = rng.pick(VOCAB);
    let field = rng.pick(VOCAB);
    let n = rng.range(2, 500) + page % 97;
    let m = rng.range(1, 64);
    let port = 1024 + (page * 7 + rng.below(5000)) % 60_000;
    let alt = rng.chance(50);
    w!(out, "```{lang}\n");
    // JSON has no comments, and a shebang must stay on the first line.
    if lang != "json" && !(lang == "bash" && alt) && rng.chance(80) {
        let text = format!("{} the {noun} {}", capitalize(rng.pick(VERBS)), phrase(rng, 2, 6));
        match lang {
            "rust" | "javascript" | "typescript" | "go" => w!(out, "// {text}\n"),
            "sql" => w!(out, "-- {text}\n"),
            "ini" => w!(out, "; {text}\n"),
            "html" => w!(out, "<!-- {text} -->\n"),
            "css" => w!(out, "/* {text} */\n"),
            _ => w!(out, "# {text}\n"),
        }
    }
    match lang {
        "bash" if alt => {
            w!(out, "#!/usr/bin/env bash\nset -euo pipefail\n");
            w!(
                out,
                "for shard in $(seq 1 {m}); do\n  {noun}ctl --region eu-west-{} drain \"{noun}-{page}-$shard\"\ndone\n",
                m % 3 + 1
            );
        }
        "bash" => {
            w!(out, "export {}_LIMIT={n}\n", noun.to_uppercase());
            w!(out, "curl -fsS \"https://{noun}.internal:{port}/v1/{field}?page={page}\" | jq '.items | length'\n");
            w!(out, "kubectl -n {noun} rollout status deploy/{field}-{page} --timeout={m}m\n");
        }
        "rust" if alt => {
            w!(
                out,
                "fn {}(input: &[u64]) -> u64 {{\n    input.iter().filter(|v| **v > {n}).map(|v| v * {m}).sum()\n}}\n",
                snake(rng)
            );
        }
        "rust" => {
            let ty = pascal(rng);
            w!(
                out,
                "#[derive(Debug, Clone)]\npub struct {ty} {{\n    pub {field}: u32,\n    pub {noun}_id: u64,\n}}\n\n"
            );
            w!(out, "impl {ty} {{\n    pub fn new() -> Self {{\n        Self {{ {field}: {n}, {noun}_id: {page} }}\n    }}\n}}\n");
        }
        "python" if alt => {
            w!(out, "def {}(items, limit={n}):\n    \"\"\"Return the {noun} entries above the limit.\"\"\"\n    return [item for item in items if item.{field} > limit]\n", snake(rng));
        }
        "python" => {
            w!(out, "import logging\n\nlog = logging.getLogger(\"{noun}\")\n\n");
            w!(out, "for attempt in range({m}):\n    log.info(\"{field} attempt %d of page {page}\", attempt)\n");
        }
        "javascript" if alt => {
            w!(out, "export async function {}(client) {{\n  const res = await client.get(\"/api/v{}/{noun}?limit={n}\");\n  return res.items.map((it) => it.{field});\n}}\n", camel(rng), m % 4 + 1);
        }
        "javascript" => {
            w!(
                out,
                "const {} = new Map();\nfor (let i = 0; i < {n}; i++) {{\n  {0}.set(`{noun}-${{i}}`, i * {m});\n}}\n",
                camel(rng)
            );
        }
        "typescript" if alt => {
            let ty = pascal(rng);
            w!(out, "interface {ty} {{\n  id: string;\n  {field}: number;\n  retries?: number;\n}}\n\n");
            w!(out, "export const default{ty}: {ty} = {{ id: \"{noun}-{page}\", {field}: {n} }};\n");
        }
        "typescript" => {
            w!(out, "export function {}(xs: number[]): number {{\n  return xs.reduce((acc, x) => acc + (x > {n} ? x : 0), {m});\n}}\n", camel(rng));
        }
        "json" => {
            w!(out, "{{\n  \"name\": \"{noun}-{page}\",\n  \"replicas\": {m},\n  \"timeout_ms\": {n},\n  \"enabled\": {alt},\n  \"labels\": [\"{field}\", \"{}\"]\n}}\n", rng.pick(VOCAB));
        }
        "yaml" => {
            w!(
                out,
                "service: {noun}-{page}\nreplicas: {m}\nresources:\n  cpu: \"{}m\"\n  memory: \"{}Mi\"\n",
                n * 10,
                m * 64
            );
            if alt {
                w!(out, "env:\n  - name: {}_MODE\n    value: {field}\n", noun.to_uppercase());
            }
        }
        "toml" => {
            w!(out, "[{noun}]\nname = \"{noun}-{page}\"\ntimeout_ms = {n}\nretries = {}\n", m % 7);
            if alt {
                w!(out, "\n[{noun}.{field}]\nenabled = true\n");
            }
        }
        "sql" => {
            w!(out, "SELECT {field}, count(*) AS total\nFROM {noun}_events\nWHERE created_at > now() - interval '{m} days'\nGROUP BY {field}\nORDER BY total DESC\nLIMIT {n};\n");
        }
        "go" => {
            w!(out, "func {}(ctx context.Context, id int) error {{\n\tif id > {n} {{\n\t\treturn fmt.Errorf(\"{noun} %d out of range\", id)\n\t}}\n\treturn nil\n}}\n", pascal(rng));
        }
        "dockerfile" => {
            w!(out, "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates\n");
            w!(
                out,
                "COPY ./{noun} /opt/{noun}\nEXPOSE {port}\nCMD [\"/opt/{noun}/bin/{field}\", \"--port\", \"{port}\"]\n"
            );
        }
        "hcl" => {
            w!(out, "resource \"aws_instance\" \"{noun}_{page}\" {{\n  instance_type = \"t3.{}\"\n  count         = {}\n\n  tags = {{\n    Name = \"{noun}-{field}\"\n  }}\n}}\n", rng.pick(&["micro", "small", "medium", "large"]), m % 9 + 1);
        }
        "ini" => {
            w!(out, "[{noun}]\nhost = {field}-{page}.internal\nport = {port}\nmax_connections = {n}\n");
        }
        "html" => {
            w!(out, "<section class=\"{noun}-panel\" id=\"{noun}-{page}\">\n  <h2>{}</h2>\n  <p>Refreshed every {m} seconds.</p>\n</section>\n", capitalize(field));
        }
        _ => {
            w!(
                out,
                ".{noun}-panel {{\n  margin: {m}px {}px;\n  border: 1px solid #{:06x};\n}}\n",
                n % 40,
                page.wrapping_mul(2_654_435_761) & 0xFF_FFFF
            );
        }
    }
    out.push_str("```\n\n");
}

// ---------------------------------------------------------------------------
// Page bodies
// ---------------------------------------------------------------------------

/// Things placed once (or a few times) per page, spread over its sections.
enum Block {
    Bullets,
    Numbered,
    Table,
    Tasks,
    Code(&'static str),
    Alert,
}

/// Inline items waiting for a paragraph: links and footnote references.
struct Pending(Vec<String>);

impl Pending {
    fn paragraph(&mut self, rng: &mut Rng, sentences: usize, out: &mut String) {
        for s in 0..sentences {
            if s > 0 {
                out.push(' ');
            }
            sentence(rng, out);
            if !self.0.is_empty() && rng.chance(25) {
                out.pop(); // the full stop
                w!(out, "{}.", self.0.remove(0));
            }
        }
        out.push_str("\n\n");
    }
}

/// The draws a page's front matter starts with, made in this order; `assign_alerts` replays them
/// to learn which pages are runbooks before any page is written.
struct FrontDraws {
    description: String,
    tags: Vec<&'static str>,
    kind: &'static str,
}

fn front_draws(rng: &mut Rng) -> FrontDraws {
    let description = capitalize(&phrase(rng, 6, 12));
    let mut tags: Vec<&str> = Vec::new();
    for _ in 0..rng.range(1, 3) {
        let t = rng.pick(TAGS);
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    FrontDraws { description, tags, kind: rng.pick(KINDS) }
}

/// FNV-1a of a page title: runbook fields are derived from it, not drawn from the page's stream,
/// so the rest of the corpus stays as it was.
fn title_hash(title: &str) -> u64 {
    title.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

fn front_matter(rng: &mut Rng, page: &Page, out: &mut String) {
    let FrontDraws { description, tags, kind } = front_draws(rng);
    w!(out, "---\ntitle: \"{}\"\n", page.title);
    w!(out, "description: \"{description}\"\n");
    w!(out, "weight: {}\n", page.weight);
    w!(out, "tags: [{}]\n", tags.join(", "));
    w!(out, "kind: {}\n", kind);
    if kind == "runbook" {
        let h = title_hash(&page.title);
        let service = ["postgres", "redis", "kafka", "api-gateway", "search", "billing"][(h % 6) as usize];
        w!(out, "service: {service}\nseverity: sev{}\n", 1 + (h >> 8) % 3);
        w!(out, "alerts: [{}]\n", page.alerts.join(", "));
        // About one in five overdue (reviewed in 2024), the rest reviewed late in 2026.
        let reviewed = if (h >> 16).is_multiple_of(5) {
            date_after_2024((h >> 20) as i64 % 300)
        } else {
            format!("2026-{:02}-{:02}", 9 + (h >> 24) % 3, 1 + (h >> 28) % 28)
        };
        w!(out, "last_reviewed: {reviewed}\nreview_every: 1y\n");
    }
    if rng.chance(30) {
        w!(out, "status: {}\n", rng.pick(STATUSES));
        w!(out, "owner: {}\n", rng.pick(OWNERS));
        w!(out, "due: {}\n", date_after_2024(rng.below(730) as i64));
        w!(out, "effort: {}\n", rng.pick(EFFORTS));
    }
    out.push_str("---\n\n");
}

fn write_block(rng: &mut Rng, block: &Block, page_index: usize, out: &mut String) {
    match block {
        Block::Bullets => {
            for _ in 0..rng.range(3, 6) {
                let p = phrase(rng, 4, 10);
                if rng.chance(20) {
                    w!(out, "- `{}`: {p}\n", snake(rng));
                } else {
                    w!(out, "- {}\n", capitalize(&p));
                }
            }
            out.push('\n');
        }
        Block::Numbered => {
            for k in 1..=rng.range(3, 6) {
                w!(out, "{k}. {} the {} {}.\n", capitalize(rng.pick(VERBS)), rng.pick(VOCAB), phrase(rng, 3, 7));
            }
            out.push('\n');
        }
        Block::Table => {
            let mut headers: Vec<&str> = TABLE_HEADERS.to_vec();
            rng.shuffle(&mut headers);
            headers.truncate(rng.range(3, 5));
            w!(out, "| {} |\n", headers.join(" | "));
            w!(out, "|{}\n", " --- |".repeat(headers.len()));
            for _ in 0..rng.range(3, 8) {
                let cells: Vec<String> = headers
                    .iter()
                    .map(|h| match *h {
                        "Owner" => rng.pick(OWNERS).to_string(),
                        "Status" => rng.pick(STATUSES).to_string(),
                        "Replicas" | "Limit" => rng.range(1, 64).to_string(),
                        "Latency" | "Window" => format!("{} ms", rng.range(1, 900)),
                        "Version" => {
                            format!("`{}.{}.{}`", rng.below(4), rng.below(20), rng.below(10))
                        }
                        "Threshold" => format!("{}%", rng.range(50, 99)),
                        "Default" => format!("`{}`", rng.range(0, 4096)),
                        "Notes" => phrase(rng, 3, 8),
                        _ => format!("{}-{}", rng.pick(VOCAB), rng.pick(VOCAB)),
                    })
                    .collect();
                w!(out, "| {} |\n", cells.join(" | "));
            }
            out.push('\n');
        }
        Block::Tasks => {
            for _ in 0..rng.range(3, 6) {
                let mark = if rng.chance(40) { 'x' } else { ' ' };
                w!(out, "- [{mark}] {} the {} {}", capitalize(rng.pick(VERBS)), rng.pick(ADJECTIVES), rng.pick(VOCAB));
                if rng.chance(50) {
                    let hours = rng.pick(&[1, 2, 3, 4, 6, 8, 12, 16]);
                    w!(out, " ({hours} {})", if hours == 1 { "hour" } else { "hours" });
                }
                out.push('\n');
            }
            out.push('\n');
        }
        Block::Code(lang) => code_block(rng, lang, page_index, out),
        Block::Alert => {
            w!(out, "> [!{}]\n> ", rng.pick(ALERTS));
            for _ in 0..rng.range(1, 2) {
                sentence(rng, out);
                out.push(' ');
            }
            out.pop();
            out.push_str("\n\n");
        }
    }
}

fn render_page(corpus: &Corpus, i: usize) -> String {
    let page = &corpus.pages[i];
    let mut rng = Rng::stream(SEED, STREAM_BODY, i as u64);
    let mut out = String::with_capacity(12 * 1024);
    front_matter(&mut rng, page, &mut out);

    // Links to other generated files: mostly the same top-level section.
    let here = &corpus.sections[page.section];
    let mut pending = Pending(Vec::new());
    let n_pages = corpus.pages.len();
    if n_pages > 1 {
        for _ in 0..rng.range(2, 5) {
            let roll = rng.below(100);
            let (target, anchor) = if roll < 10 {
                let s = &corpus.sections[rng.below(corpus.sections.len())];
                (index_path(&s.dir), None)
            } else {
                let mut j = if roll < 60 {
                    // A page near this one (same or neighbouring leaf folders).
                    let lo = i.saturating_sub(120);
                    let hi = (i + 120).min(n_pages - 1);
                    rng.range(lo, hi)
                } else {
                    rng.below(n_pages)
                };
                if j == i {
                    j = (i + 1) % n_pages;
                }
                let t = &corpus.pages[j];
                let anchor = if !t.anchors.is_empty() && rng.chance(35) {
                    Some(t.anchors[rng.below(t.anchors.len())].clone())
                } else {
                    None
                };
                (t.path.clone(), anchor)
            };
            let mut href = relative_link(&here.dir, &target);
            if let Some(a) = anchor {
                w!(href, "#{a}");
            }
            let text = match rng.below(4) {
                0 => "see".to_string(),
                1 => format!("the {} notes", rng.pick(VOCAB)),
                _ => phrase(&mut rng, 2, 4),
            };
            pending.0.push(format!(" ([{text}]({href}))"));
        }
    }
    let footnotes = if rng.chance(25) { rng.range(1, 2) } else { 0 };
    for k in 1..=footnotes {
        pending.0.push(format!("[^{k}]"));
    }

    // Feature blocks spread over the sections.
    let mut blocks = vec![Block::Bullets, Block::Numbered, Block::Table, Block::Tasks];
    if rng.chance(50) {
        blocks.push(Block::Bullets);
    }
    if rng.chance(30) {
        blocks.push(Block::Alert);
    }
    let n_code = rng.pick(&[0, 1, 1, 2, 2, 2, 2, 3, 3, 4]);
    for k in 0..n_code {
        blocks.push(Block::Code(LANGS[(i * 2 + k * 7 + rng.below(3)) % LANGS.len()]));
    }
    rng.shuffle(&mut blocks);

    let intro = rng.range(1, 2);
    for _ in 0..intro {
        let s = rng.range(3, 5);
        pending.paragraph(&mut rng, s, &mut out);
    }
    if rng.chance(15) {
        write_block(&mut rng, &Block::Alert, i, &mut out);
    }

    let per_section = blocks.len().div_ceil(page.outline.len());
    let mut blocks = blocks.into_iter();
    for heading in &page.outline {
        w!(out, "{} {}\n\n", "#".repeat(heading.level), heading.text);
        let s = rng.range(2, 6);
        pending.paragraph(&mut rng, s, &mut out);
        for block in blocks.by_ref().take(per_section) {
            write_block(&mut rng, &block, i, &mut out);
            if rng.chance(50) {
                let s = rng.range(2, 4);
                pending.paragraph(&mut rng, s, &mut out);
            }
        }
    }

    // Anything not yet placed goes into a closing paragraph.
    sentence(&mut rng, &mut out);
    for item in pending.0.drain(..) {
        out.pop();
        w!(out, "{item}.");
    }
    out.push_str("\n\n");
    for k in 1..=footnotes {
        w!(out, "[^{k}]: ");
        sentence(&mut rng, &mut out);
        out.push('\n');
    }
    if footnotes > 0 {
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn render_section(section: &Section, index: usize) -> String {
    let mut rng = Rng::stream(SEED, STREAM_SECTION, index as u64);
    let mut out = String::new();
    w!(out, "---\ntitle: \"{}\"\n", section.title);
    w!(out, "description: \"{}\"\n", capitalize(&phrase(&mut rng, 6, 12)));
    w!(out, "weight: {}\n---\n\n", section.weight);
    for _ in 0..rng.range(1, 2) {
        let s = rng.range(2, 4);
        Pending(Vec::new()).paragraph(&mut rng, s, &mut out);
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

// ---------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------

/// Totals reported on stderr after generation.
#[derive(Default)]
struct Stats {
    bytes: usize,
    code_blocks: usize,
    code_bytes: usize,
}

impl Stats {
    fn add(&mut self, page: &str) {
        self.bytes += page.len();
        let mut in_code = false;
        for line in page.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
                self.code_blocks += usize::from(in_code);
            } else if in_code {
                self.code_bytes += line.len() + 1;
            }
        }
    }

    fn merge(&mut self, other: &Stats) {
        self.bytes += other.bytes;
        self.code_blocks += other.code_blocks;
        self.code_bytes += other.code_bytes;
    }
}

/// Resources of the synthetic API: (plural path segment, schema name, tag, what refers to).
const API_RESOURCES: &[(&str, &str, &str, &[&str])] = &[
    ("projects", "Project", "Projects", &["Team", "Environment"]),
    ("environments", "Environment", "Projects", &["Project", "Region"]),
    ("services", "Service", "Services", &["Project", "Deployment"]),
    ("deployments", "Deployment", "Deployments", &["Service", "Build", "User"]),
    ("builds", "Build", "Builds", &["Service", "Artifact"]),
    ("artifacts", "Artifact", "Builds", &["Build"]),
    ("secrets", "Secret", "Security", &["Environment"]),
    ("tokens", "Token", "Security", &["User"]),
    ("users", "User", "People", &["Team"]),
    ("teams", "Team", "People", &["User", "Project"]),
    ("webhooks", "Webhook", "Integrations", &["Project"]),
    ("alerts", "Alert", "Operations", &["Service", "Incident"]),
    ("incidents", "Incident", "Operations", &["Alert", "User", "Service"]),
    ("regions", "Region", "Infrastructure", &[]),
];

/// The benchmark's OpenAPI document (deterministic).
fn api_spec() -> String {
    let mut y = String::new();
    y.push_str(
        "openapi: 3.1.0\ninfo:\n  title: Platform API\n  version: \"4.2.0\"\n  description: |\n    Manage projects, services and deployments of the platform.\n\n    Every list is paginated with `cursor` and `limit`; every timestamp is RFC 3339.\nservers:\n  - {url: \"https://api.platform.example/v4\", description: Production}\n  - {url: \"https://api.staging.platform.example/v4\", description: Staging}\nsecurity:\n  - bearer: []\n  - oauth: [platform.read]\ntags:\n",
    );
    let mut tags: Vec<&str> = Vec::new();
    for (_, _, tag, _) in API_RESOURCES {
        if !tags.contains(tag) {
            tags.push(tag);
            let _ = writeln!(y, "  - name: {tag}\n    description: Operations on {}.", tag.to_lowercase());
        }
    }
    y.push_str("components:\n  securitySchemes:\n    bearer: {type: http, scheme: bearer, bearerFormat: JWT}\n    oauth:\n      type: oauth2\n      flows:\n        clientCredentials:\n          tokenUrl: https://auth.platform.example/token\n          scopes: {platform.read: Read everything, platform.write: Change everything}\n");
    y.push_str("  parameters:\n    Id: {name: id, in: path, required: true, description: The resource id., schema: {type: string, pattern: \"^[a-z]+_[0-9a-z]{12}$\"}}\n    Cursor: {name: cursor, in: query, description: Where the previous page ended., schema: {type: string}}\n    Limit: {name: limit, in: query, description: Items per page., schema: {type: integer, minimum: 1, maximum: 200, default: 50}}\n    IdempotencyKey: {name: Idempotency-Key, in: header, description: Makes a retried request safe., schema: {type: string, format: uuid}}\n");
    y.push_str("  responses:\n    NotFound:\n      description: No such resource.\n      content:\n        application/json:\n          schema: {$ref: '#/components/schemas/Error'}\n          example: {code: not_found, message: No such resource.}\n    Unauthorized:\n      description: Missing or expired credentials.\n      content:\n        application/json:\n          schema: {$ref: '#/components/schemas/Error'}\n    Conflict:\n      description: The resource changed since it was read.\n      content:\n        application/json:\n          schema: {$ref: '#/components/schemas/Error'}\n");
    y.push_str("  schemas:\n    Error:\n      type: object\n      required: [code, message]\n      properties:\n        code: {type: string, enum: [not_found, unauthorized, conflict, invalid, rate_limited]}\n        message: {type: string, description: For people; do not parse it.}\n        details: {type: array, items: {type: object, additionalProperties: {type: string}}}\n    Metadata:\n      type: object\n      properties:\n        created: {type: string, format: date-time, readOnly: true}\n        updated: {type: string, format: date-time, readOnly: true}\n        labels: {type: object, additionalProperties: {type: string}}\n");
    for (path, schema, _, refs) in API_RESOURCES {
        let _ = writeln!(y, "    {schema}:\n      type: object\n      description: A {} of the platform.\n      required: [id, name]\n      properties:", schema.to_lowercase());
        let prefix = &path[..3];
        let _ = writeln!(y, "        id: {{type: string, readOnly: true, example: {prefix}_0123456789ab}}");
        let _ = writeln!(y, "        name: {{type: string, minLength: 1, maxLength: 63, description: \"Unique within its parent; letters, digits and dashes.\"}}");
        let _ =
            writeln!(y, "        state: {{type: string, enum: [pending, active, failed, archived], default: pending}}");
        y.push_str("        metadata: {$ref: '#/components/schemas/Metadata'}\n");
        for (k, r) in refs.iter().enumerate() {
            if k % 2 == 0 {
                let _ = writeln!(y, "        {}: {{$ref: '#/components/schemas/{r}'}}", r.to_lowercase());
            } else {
                let _ = writeln!(
                    y,
                    "        {}s: {{type: array, items: {{$ref: '#/components/schemas/{r}'}}}}",
                    r.to_lowercase()
                );
            }
        }
        let _ = writeln!(y, "    {schema}List:\n      type: object\n      properties:\n        items: {{type: array, items: {{$ref: '#/components/schemas/{schema}'}}}}\n        next: {{type: [string, \"null\"], description: Cursor of the next page.}}");
    }
    y.push_str("paths:\n");
    for (n, (path, schema, tag, _)) in API_RESOURCES.iter().enumerate() {
        let singular = schema.to_lowercase();
        let _ = writeln!(y, "  /{path}:\n    get:\n      tags: [{tag}]\n      operationId: list{schema}s\n      summary: List {path}\n      parameters: [{{$ref: '#/components/parameters/Cursor'}}, {{$ref: '#/components/parameters/Limit'}}]\n      responses:\n        '200':\n          description: A page of {path}.\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{schema}List'}}\n        '401': {{$ref: '#/components/responses/Unauthorized'}}");
        let _ = writeln!(y, "    post:\n      tags: [{tag}]\n      operationId: create{schema}\n      summary: Create a {singular}\n      description: |\n        Creates the {singular}. Send an `Idempotency-Key` so a retry never creates two.\n      security: [{{oauth: [platform.write]}}]\n      parameters: [{{$ref: '#/components/parameters/IdempotencyKey'}}]\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/{schema}'}}\n            examples:\n              minimal: {{value: {{name: my-{singular}}}}}\n      responses:\n        '201':\n          description: Created.\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{schema}'}}\n        '409': {{$ref: '#/components/responses/Conflict'}}");
        let deprecated = if n % 5 == 4 { "\n      deprecated: true" } else { "" };
        let status = if n % 7 == 3 { "\n      x-status: in progress" } else { "" };
        let _ = writeln!(y, "  /{path}/{{id}}:\n    parameters: [{{$ref: '#/components/parameters/Id'}}]\n    get:\n      tags: [{tag}]\n      operationId: get{schema}\n      summary: Get a {singular}\n      responses:\n        '200':\n          description: The {singular}.\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{schema}'}}\n        '404': {{$ref: '#/components/responses/NotFound'}}");
        let _ = writeln!(y, "    patch:\n      tags: [{tag}]\n      operationId: update{schema}\n      summary: Update a {singular}{status}\n      requestBody:\n        content:\n          application/merge-patch+json:\n            schema: {{$ref: '#/components/schemas/{schema}'}}\n      responses:\n        '200':\n          description: The updated {singular}.\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/{schema}'}}\n        '404': {{$ref: '#/components/responses/NotFound'}}\n        '409': {{$ref: '#/components/responses/Conflict'}}");
        let _ = writeln!(y, "    delete:\n      tags: [{tag}]\n      operationId: delete{schema}\n      summary: Delete a {singular}{deprecated}\n      responses:\n        '204': {{description: Deleted.}}\n        '404': {{$ref: '#/components/responses/NotFound'}}");
    }
    y
}

fn usage() -> ExitCode {
    eprintln!("usage: gen_corpus N OUT_DIR [--force]");
    eprintln!("  writes OUT_DIR/book.toml and N pages under OUT_DIR/content/");
    eprintln!("  --force: allow a non-empty OUT_DIR (OUT_DIR/content is deleted first)");
    ExitCode::from(2)
}

fn run(n: usize, out_dir: &Path, force: bool) -> std::io::Result<()> {
    let non_empty = match fs::read_dir(out_dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(e),
    };
    let content = out_dir.join("content");
    if non_empty {
        if !force {
            return Err(std::io::Error::other(format!(
                "{} is not empty (pass --force to replace its content/)",
                out_dir.display()
            )));
        }
        if content.exists() {
            fs::remove_dir_all(&content)?;
        }
    }
    fs::create_dir_all(&content)?;
    fs::write(out_dir.join("book.toml"), "[book]\ntitle = \"Synthetic corpus\"\n")?;

    fs::create_dir_all(content.join("api"))?;
    fs::write(content.join("api/platform.yaml"), api_spec())?;

    let corpus = build_corpus(n);
    for (k, section) in corpus.sections.iter().enumerate() {
        fs::create_dir_all(content.join(&section.dir))?;
        fs::write(content.join(index_path(&section.dir)), render_section(section, k))?;
    }

    // Bodies are independent, so split the work over the available cores.
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8);
    let chunk = corpus.pages.len().div_ceil(threads).max(1);
    let stats = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..corpus.pages.len())
            .step_by(chunk)
            .map(|start| {
                let (corpus, content) = (&corpus, &content);
                scope.spawn(move || -> std::io::Result<Stats> {
                    let mut stats = Stats::default();
                    for i in start..(start + chunk).min(corpus.pages.len()) {
                        let text = render_page(corpus, i);
                        stats.add(&text);
                        fs::write(content.join(&corpus.pages[i].path), text)?;
                    }
                    Ok(stats)
                })
            })
            .collect();
        handles.into_iter().try_fold(Stats::default(), |mut total, h| {
            total.merge(&h.join().expect("generator thread panicked")?);
            Ok::<_, std::io::Error>(total)
        })
    })?;

    eprintln!(
        "gen_corpus: {} pages + {} _index.md in {}: {:.1} MB of page markdown, \
         {} code blocks ({:.2} MB of code)",
        corpus.pages.len(),
        corpus.sections.len(),
        content.display(),
        stats.bytes as f64 / 1e6,
        stats.code_blocks,
        stats.code_bytes as f64 / 1e6,
    );
    Ok(())
}

fn main() -> ExitCode {
    let mut force = false;
    let mut positional = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--force" => force = true,
            "-h" | "--help" => return usage(),
            _ => positional.push(arg),
        }
    }
    let [n, out_dir] = positional.as_slice() else {
        return usage();
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("gen_corpus: N must be a non-negative integer, got {n:?}");
        return usage();
    };
    match run(n, Path::new(out_dir), force) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
