//! Measures pallet-sah-bridge's benchmarks (`pallets/sah-bridge/src/benchmarking.rs`, frame-benchmarking
//! v2) on this runtime and writes the results in the layout of polkadot-sdk's pallet weight template
//! (`frame-weight-template.hbs`: the generated header, a `WeightInfo` trait, `SubstrateWeight<T>` priced
//! with the runtime's `DbWeight`, `()` with `RocksDbWeight`), to `contracts/substrate/weights/` by default.
//!
//! The standard tool, `frame-omni-bencher v1 benchmark pallet` (frame-benchmarking-cli), runs the wasm
//! runtime in wasmtime over a node's benchmarking state database; it does not build on this project's
//! machines in reasonable time (the header of the pallet's weights.rs says what was tried). This harness
//! does the same steps with the same frame-benchmarking API and the same analysis, natively:
//!
//! - the state: the runtime's `development` genesis preset in an in-memory trie (plus a clock, see
//!   [`CLOCK_MS`]), behind a backend that, like the CLI's benchmarking state, commits (`commit_db`),
//!   resets to genesis (`wipe_db`), counts the distinct keys read and written outside the whitelist
//!   (`AllPalletsWithSystem`'s whitelisted keys and those `run_benchmark` adds) and records the trie
//!   nodes read (the measured proof size);
//! - the runs: for every benchmark, each component stepped over its range (`--steps`) with the others at
//!   their maximum; per step one verified run (discarded), one run with key tracking (reads, writes,
//!   keys) and `--repeat` timed runs without it; the whole repeated until `--min-duration` seconds have
//!   passed;
//! - the analysis (`frame_benchmarking::Analysis`): min-squares for the time, reads and writes;
//!   median-slopes for the measured proof size; the proof size of the weight estimated from each touched
//!   storage item's `MaxEncodedLen` (the CLI's default `max-encoded-len` PoV mode, map size 1,000,000,
//!   2 additional trie layers), as `frame-benchmarking-cli` 64's `pallet/writer.rs` computes it
//!   (Apache-2.0; the functions below marked "as the CLI" follow it).
//!
//! The times are those of the runtime compiled for the host (the `bench` profile), not of compiled wasm.
//!
//! Run from the repository root: `bash contracts/substrate/benchmark-weights.sh` (it runs
//! `cargo bench --bench pallet_weights --features runtime-benchmarks -- --output <file>`).

use codec::Encode;
use frame_benchmarking::{
	Analysis, BenchmarkBatchSplitResults, BenchmarkError, BenchmarkParameter, BenchmarkResult, BenchmarkSelector,
	Benchmarking,
};
use frame_support::traits::{StorageInfo, StorageInfoTrait, WhitelistedStorageKeys};
use sah_dev_runtime::{AllPalletsWithSystem, RuntimeGenesisConfig, SahBridge};
use sp_core::storage::{ChildInfo, StateVersion, TrackedStorageKey};
use sp_runtime::{traits::BlakeTwo256, BuildStorage};
use sp_state_machine::{
	Backend, BackendTransaction, ChildStorageCollection, Ext, InMemoryBackend, IterArgs, OverlayedChanges,
	StorageCollection, StorageIterator, StorageKey, StorageValue, TrieBackendBuilder, UsageInfo,
};
use sp_trie::{recorder::Recorder, MerkleValue};
use std::{
	cell::{Cell, RefCell},
	collections::{BTreeMap, HashMap, HashSet},
	time::{Duration, Instant},
};

type H = BlakeTwo256;
type Hash = sp_core::H256;

// ------------------------------------------------------------------------------------------ state

/// An in-memory trie that behaves like the CLI's benchmarking state: `commit` applies the overlay's
/// changes, `wipe` goes back to genesis, reads and writes are tracked per key (whitelisted keys apart),
/// and the trie nodes read are recorded.
struct BenchState {
	genesis: InMemoryBackend<H>,
	state: RefCell<InMemoryBackend<H>>,
	recorder: RefCell<Recorder<H>>,
	tracking: Cell<bool>,
	whitelist: RefCell<Vec<TrackedStorageKey>>,
	keys: RefCell<BTreeMap<Vec<u8>, TrackedStorageKey>>,
}

impl std::fmt::Debug for BenchState {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str("BenchState")
	}
}

impl BenchState {
	fn new(genesis: InMemoryBackend<H>) -> Self {
		let s = BenchState {
			state: RefCell::new(genesis.clone()),
			genesis,
			recorder: RefCell::new(Recorder::default()),
			tracking: Cell::new(false),
			whitelist: RefCell::new(Vec::new()),
			keys: RefCell::new(BTreeMap::new()),
		};
		s.reopen(None);
		s
	}

	/// The trie at `root` (the current one if `None`), recording from scratch.
	fn reopen(&self, root: Option<Hash>) {
		let recorder = Recorder::default();
		let current = self.state.borrow().backend_storage().clone();
		let root = root.unwrap_or(*self.state.borrow().root());
		*self.state.borrow_mut() = TrieBackendBuilder::new(current, root).with_recorder(recorder.clone()).build();
		*self.recorder.borrow_mut() = recorder;
	}

	fn wipe_tracker(&self) {
		let mut keys = self.keys.borrow_mut();
		keys.clear();
		for k in self.whitelist.borrow().iter() {
			let mut w = TrackedStorageKey::new(k.key.clone());
			w.whitelist();
			keys.insert(k.key.clone(), w);
		}
	}

	fn add_read(&self, key: &[u8]) {
		if self.tracking.get() {
			self.keys
				.borrow_mut()
				.entry(key.to_vec())
				.or_insert_with(|| TrackedStorageKey::new(key.to_vec()))
				.add_read();
		}
	}

	fn add_write(&self, key: &[u8]) {
		if self.tracking.get() {
			self.keys
				.borrow_mut()
				.entry(key.to_vec())
				.or_insert_with(|| TrackedStorageKey::new(key.to_vec()))
				.add_write();
		}
	}
}

/// The in-memory trie's iterator, over this state.
struct BenchIter(<InMemoryBackend<H> as Backend<H>>::RawIter);

impl StorageIterator<H> for BenchIter {
	type Backend = BenchState;
	type Error = String;

	fn next_key(&mut self, backend: &BenchState) -> Option<Result<StorageKey, String>> {
		self.0.next_key(&backend.state.borrow())
	}

	fn next_pair(&mut self, backend: &BenchState) -> Option<Result<(StorageKey, StorageValue), String>> {
		self.0.next_pair(&backend.state.borrow())
	}

	fn was_complete(&self) -> bool {
		self.0.was_complete()
	}
}

impl Backend<H> for BenchState {
	type Error = String;
	type TrieBackendStorage = <InMemoryBackend<H> as Backend<H>>::TrieBackendStorage;
	type RawIter = BenchIter;

	fn storage(&self, key: &[u8]) -> Result<Option<StorageValue>, String> {
		self.add_read(key);
		self.state.borrow().storage(key)
	}

	fn storage_hash(&self, key: &[u8]) -> Result<Option<Hash>, String> {
		self.add_read(key);
		self.state.borrow().storage_hash(key)
	}

	fn exists_storage(&self, key: &[u8]) -> Result<bool, String> {
		self.add_read(key);
		self.state.borrow().exists_storage(key)
	}

	fn closest_merkle_value(&self, key: &[u8]) -> Result<Option<MerkleValue<Hash>>, String> {
		self.add_read(key);
		self.state.borrow().closest_merkle_value(key)
	}

	fn child_closest_merkle_value(
		&self,
		child_info: &ChildInfo,
		key: &[u8],
	) -> Result<Option<MerkleValue<Hash>>, String> {
		self.state.borrow().child_closest_merkle_value(child_info, key)
	}

	fn child_storage(&self, child_info: &ChildInfo, key: &[u8]) -> Result<Option<StorageValue>, String> {
		self.state.borrow().child_storage(child_info, key)
	}

	fn child_storage_hash(&self, child_info: &ChildInfo, key: &[u8]) -> Result<Option<Hash>, String> {
		self.state.borrow().child_storage_hash(child_info, key)
	}

	fn next_storage_key(&self, key: &[u8]) -> Result<Option<StorageKey>, String> {
		self.state.borrow().next_storage_key(key)
	}

	fn next_child_storage_key(&self, child_info: &ChildInfo, key: &[u8]) -> Result<Option<StorageKey>, String> {
		self.state.borrow().next_child_storage_key(child_info, key)
	}

	fn storage_root<'a>(
		&self,
		delta: impl Iterator<Item = (&'a [u8], Option<&'a [u8]>)>,
		state_version: StateVersion,
	) -> (Hash, BackendTransaction<H>) {
		self.state.borrow().storage_root(delta, state_version)
	}

	fn child_storage_root<'a>(
		&self,
		child_info: &ChildInfo,
		delta: impl Iterator<Item = (&'a [u8], Option<&'a [u8]>)>,
		state_version: StateVersion,
	) -> (Hash, bool, BackendTransaction<H>) {
		self.state.borrow().child_storage_root(child_info, delta, state_version)
	}

	fn raw_iter(&self, args: IterArgs) -> Result<BenchIter, String> {
		self.state.borrow().raw_iter(args).map(BenchIter)
	}

	fn register_overlay_stats(&self, stats: &sp_state_machine::StateMachineStats) {
		self.state.borrow().register_overlay_stats(stats)
	}

	fn usage_info(&self) -> UsageInfo {
		self.state.borrow().usage_info()
	}

	fn wipe(&self) -> Result<(), String> {
		*self.state.borrow_mut() = self.genesis.clone();
		self.reopen(None);
		self.wipe_tracker();
		Ok(())
	}

	fn commit(
		&self,
		root: Hash,
		transaction: BackendTransaction<H>,
		main_changes: StorageCollection,
		_child_changes: ChildStorageCollection,
	) -> Result<(), String> {
		self.state.borrow_mut().apply_transaction(root, transaction);
		self.reopen(Some(root));
		for (key, _) in main_changes {
			self.add_write(&key);
		}
		Ok(())
	}

	fn read_write_count(&self) -> (u32, u32, u32, u32) {
		let (mut reads, mut repeat_reads, mut writes, mut repeat_writes) = (0, 0, 0, 0);
		for k in self.keys.borrow().values().filter(|k| !k.whitelisted) {
			if k.reads > 0 {
				reads += 1;
				repeat_reads += k.reads - 1;
			}
			if k.writes > 0 {
				writes += 1;
				repeat_writes += k.writes - 1;
			}
		}
		(reads, repeat_reads, writes, repeat_writes)
	}

	fn reset_read_write_count(&self) {
		self.wipe_tracker()
	}

	fn get_whitelist(&self) -> Vec<TrackedStorageKey> {
		self.whitelist.borrow().clone()
	}

	fn set_whitelist(&self, new: Vec<TrackedStorageKey>) {
		*self.whitelist.borrow_mut() = new;
	}

	fn proof_size(&self) -> Option<u32> {
		Some(self.recorder.borrow().estimate_encoded_size() as u32)
	}

	/// Per key prefix (its first 32 bytes: pallet and item): how many of its keys were read and written
	/// (each at most once: repeats hit the overlay).
	fn get_read_and_written_keys(&self) -> Vec<(Vec<u8>, u32, u32, bool)> {
		let mut order = Vec::new();
		let mut per_prefix = HashMap::<Vec<u8>, (u32, u32)>::new();
		for k in self.keys.borrow().values().filter(|k| !k.whitelisted) {
			let prefix = k.key[..k.key.len().min(32)].to_vec();
			let e = per_prefix.entry(prefix.clone()).or_insert_with(|| {
				order.push(prefix);
				(0, 0)
			});
			e.0 += k.reads.min(1);
			e.1 += k.writes.min(1);
		}
		order
			.into_iter()
			.map(|p| {
				let (r, w) = per_prefix[&p];
				(p, r, w, false)
			})
			.collect()
	}
}

// ------------------------------------------------------------------------------------------ runs

struct Options {
	steps: u32,
	repeat: u32,
	min_duration: u64,
	output: Option<String>,
}

const WORST_CASE_MAP_VALUES: u32 = 1_000_000;
/// `pallet_timestamp::Now` in the benchmarks' state (ms): 2023-11-14, as the pallet's mock.
const CLOCK_MS: u64 = 1_700_000_000_000;
const ADDITIONAL_TRIE_LAYERS: u32 = 2;

fn options() -> Options {
	let mut o = Options { steps: 50, repeat: 20, min_duration: 10, output: None };
	let mut args = std::env::args().skip(1);
	while let Some(a) = args.next() {
		let mut value = |name: &str| args.next().unwrap_or_else(|| panic!("{name} needs a value"));
		match a.as_str() {
			"--steps" => o.steps = value("--steps").parse().expect("--steps: a number"),
			"--repeat" => o.repeat = value("--repeat").parse().expect("--repeat: a number"),
			"--min-duration" => o.min_duration = value("--min-duration").parse().expect("--min-duration: seconds"),
			"--output" => o.output = Some(value("--output")),
			// what `cargo bench` passes to a bench without the test harness
			"--bench" => {}
			other => panic!("unknown argument {other} (--steps N --repeat N --min-duration S --output FILE)"),
		}
	}
	assert!(o.steps >= 2, "--steps must be at least 2");
	o
}

/// One `Benchmark_dispatch_benchmark` as the CLI makes it: a fresh overlay over the state.
fn dispatch(
	state: &BenchState,
	name: &[u8],
	components: &[(BenchmarkParameter, u32)],
	whitelist: &[TrackedStorageKey],
	verify: bool,
	repeats: u32,
) -> Result<Vec<BenchmarkResult>, String> {
	let mut overlay = OverlayedChanges::<H>::default();
	overlay.enter_runtime().expect("a fresh overlay is not in the runtime");
	let mut ext = Ext::new(&mut overlay, state, None);
	let result = sp_externalities::set_and_run_with_externalities(&mut ext, || {
		<SahBridge as Benchmarking>::run_benchmark(name, components, whitelist, verify, repeats)
	});
	match result {
		Ok(results) => Ok(results),
		Err(BenchmarkError::Override(r)) => Ok(vec![r]),
		Err(e) => Err(format!("{}: {e:?}", String::from_utf8_lossy(name))),
	}
}

struct Measured {
	batch: BenchmarkBatchSplitResults,
	ranges: Vec<(String, u32, u32)>,
}

fn measure(state: &BenchState, o: &Options, whitelist: &[TrackedStorageKey]) -> Vec<Measured> {
	let mut out = Vec::new();
	for b in <SahBridge as Benchmarking>::benchmarks(false) {
		let name = String::from_utf8(b.name.clone()).expect("a benchmark name is UTF-8");
		// as the CLI: each component over `steps` values in its range, the others at their maximum
		let all_components: Vec<Vec<(BenchmarkParameter, u32)>> = if b.components.is_empty() {
			vec![Vec::new()]
		} else {
			let mut all = Vec::new();
			for (name, low, high) in &b.components {
				let step = ((high - low) as f32 / (o.steps - 1) as f32).max(0.0);
				for s in 0..o.steps {
					let v = ((*low as f32 + step * s as f32) as u32).clamp(*low, *high);
					all.push(b.components.iter().map(|(n, _, h)| (*n, if n == name { v } else { *h })).collect());
				}
			}
			all
		};
		let (mut time_results, mut db_results) = (Vec::new(), Vec::new());
		let start = Instant::now();
		let mut first = true;
		loop {
			for c in &all_components {
				if first {
					state.tracking.set(false);
					dispatch(state, &b.name, c, whitelist, true, 1).unwrap_or_else(|e| panic!("verify {e}"));
				}
				state.tracking.set(true);
				db_results.extend(dispatch(state, &b.name, c, whitelist, false, 1).unwrap_or_else(|e| panic!("{e}")));
				state.tracking.set(false);
				time_results
					.extend(dispatch(state, &b.name, c, whitelist, false, o.repeat).unwrap_or_else(|e| panic!("{e}")));
			}
			first = false;
			if start.elapsed() >= Duration::from_secs(o.min_duration) {
				break;
			}
		}
		eprintln!(
			"[pallet_weights] {name}: {} timed runs in {:.1} s",
			time_results.len(),
			start.elapsed().as_secs_f64()
		);
		out.push(Measured {
			batch: BenchmarkBatchSplitResults {
				pallet: b"pallet_sah_bridge".to_vec(),
				instance: b"SahBridge".to_vec(),
				benchmark: b.name,
				time_results,
				db_results,
			},
			ranges: b.components.iter().map(|(n, l, h)| (n.to_string(), *l, *h)).collect(),
		});
	}
	out
}

// ------------------------------------------------------------------------------------------ analysis

struct Slope {
	name: String,
	slope: u128,
	error: u128,
}

struct BenchmarkData {
	name: String,
	/// (name, used in the weight formula)
	components: Vec<(String, bool)>,
	ranges: Vec<(String, u32, u32)>,
	base_weight: u128,
	base_reads: u128,
	base_writes: u128,
	base_calculated_proof_size: u128,
	base_recorded_proof_size: u128,
	component_weight: Vec<Slope>,
	component_reads: Vec<Slope>,
	component_writes: Vec<Slope>,
	component_calculated_proof_size: Vec<Slope>,
	component_recorded_proof_size: Vec<Slope>,
	comments: Vec<String>,
	min_execution_time: u128,
}

fn slopes(a: &Analysis) -> impl Iterator<Item = Slope> + '_ {
	let errors = a.errors.clone().unwrap_or_default().into_iter().chain(std::iter::repeat(0));
	a.slopes.iter().zip(a.names.iter()).zip(errors).map(|((slope, name), error)| Slope {
		name: name.clone(),
		slope: *slope,
		error,
	})
}

/// As the CLI's `get_benchmark_data` (min-squares, median-slopes for the recorded proof size).
fn benchmark_data(m: &Measured, storage_info: &[StorageInfo]) -> BenchmarkData {
	let batch = &m.batch;
	let name = String::from_utf8(batch.benchmark.clone()).unwrap();
	let analysis = |r: &Vec<BenchmarkResult>, s: BenchmarkSelector| {
		Analysis::min_squares_iqr(r, s).unwrap_or_else(|| panic!("{name}: no min-squares analysis"))
	};
	let time = analysis(&batch.time_results, BenchmarkSelector::ExtrinsicTime);
	let reads = analysis(&batch.db_results, BenchmarkSelector::Reads);
	let writes = analysis(&batch.db_results, BenchmarkSelector::Writes);
	let recorded = Analysis::median_slopes(&batch.db_results, BenchmarkSelector::ProofSize)
		.unwrap_or_else(|| panic!("{name}: no median-slopes analysis"));

	let mut used: Vec<String> = Vec::new();
	let mut nonzero = |a: &Analysis, track: bool| -> Vec<Slope> {
		slopes(a)
			.filter(|s| s.slope != 0)
			.inspect(|s| {
				if track && !used.contains(&s.name) {
					used.push(s.name.clone())
				}
			})
			.collect()
	};
	let component_weight = nonzero(&time, true);
	let component_reads = nonzero(&reads, true);
	let component_writes = nonzero(&writes, true);
	let mut component_recorded_proof_size = nonzero(&recorded, false);
	component_recorded_proof_size.sort_by(|a, b| a.name.cmp(&b.name));

	let mut per_prefix = HashMap::<Vec<u8>, Vec<BenchmarkResult>>::new();
	let comments = storage_comments(&mut per_prefix, &batch.db_results, storage_info);
	let mut base_calculated_proof_size = 0;
	let mut component_calculated_proof_size: Vec<Slope> = Vec::new();
	for results in per_prefix.values() {
		let a = analysis(results, BenchmarkSelector::ProofSize);
		base_calculated_proof_size = base_calculated_proof_size.max(a.base);
		for s in slopes(&a) {
			match component_calculated_proof_size.iter_mut().find(|u| u.name == s.name) {
				Some(u) => u.slope = u.slope.max(s.slope),
				None if s.slope != 0 => {
					if !used.contains(&s.name) {
						used.push(s.name.clone());
					}
					component_calculated_proof_size.push(s);
				}
				None => {}
			}
		}
	}
	component_calculated_proof_size.sort_by(|a, b| a.name.cmp(&b.name));

	let components =
		batch.time_results[0].components.iter().map(|(n, _)| (n.to_string(), used.contains(&n.to_string()))).collect();
	BenchmarkData {
		name,
		components,
		ranges: m.ranges.clone(),
		base_weight: time.base,
		base_reads: reads.base,
		base_writes: writes.base,
		base_calculated_proof_size,
		base_recorded_proof_size: recorded.base,
		component_weight,
		component_reads,
		component_writes,
		component_calculated_proof_size,
		component_recorded_proof_size,
		comments,
		min_execution_time: time.minimum,
	}
}

/// As the CLI's `process_storage_results` with the `max-encoded-len` PoV mode and no per-benchmark
/// `pov_mode` attributes (benchmarking.rs has none): the proof size of each storage prefix per result,
/// and the `Storage:` / `Proof:` comments.
fn storage_comments(
	per_prefix: &mut HashMap<Vec<u8>, Vec<BenchmarkResult>>,
	results: &[BenchmarkResult],
	storage_info: &[StorageInfo],
) -> Vec<String> {
	let info: HashMap<Vec<u8>, &StorageInfo> = storage_info.iter().map(|i| (i.prefix.clone(), i)).collect();
	let mut comments = Vec::new();
	let (mut seen_prefix, mut seen_key) = (HashSet::<Vec<u8>>::new(), HashSet::<Vec<u8>>::new());
	// in reverse: the components grow, and the largest reads and writes are the ones to show
	for result in results.iter().rev() {
		for (key, reads, writes, whitelisted) in &result.keys {
			if *whitelisted {
				continue;
			}
			let prefix = key[..key.len().min(32)].to_vec();
			let key_info = info.get(&prefix);
			let text = |b: &Vec<u8>| String::from_utf8(b.clone()).expect("encoded from a string");
			let (pallet, item) = key_info.map(|k| (text(&k.pallet_name), text(&k.storage_name))).unwrap_or_default();
			let overhead = single_read_pov_overhead(key_info.and_then(|k| k.max_values));
			let mut r = result.clone();
			let mode = match key_info.and_then(|k| k.max_size) {
				Some(max_size) => {
					r.proof_size = (overhead + max_size) * reads;
					"MaxEncodedLen"
				}
				None => {
					r.proof_size += overhead * reads;
					"Measured"
				}
			};
			if *reads > 0 {
				r.proof_size += 15 * 33 * ADDITIONAL_TRIE_LAYERS;
			}
			per_prefix.entry(prefix.clone()).or_default().push(r);

			let new_key = seen_key.insert(key.clone());
			let new_prefix = seen_prefix.insert(prefix.clone());
			if !new_key {
				continue;
			}
			if new_prefix {
				comments.push(match key_info {
					Some(_) => format!("Storage: `{pallet}::{item}` (r:{reads} w:{writes})"),
					None => format!("Storage: UNKNOWN KEY `0x{}` (r:{reads} w:{writes})", hex(key)),
				});
			}
			comments.push(match key_info {
				Some(k) => match k.max_size {
					Some(max_size) => {
						let added = max_size + if new_prefix { single_read_pov_overhead(k.max_values) } else { 0 };
						format!(
							"Proof: `{pallet}::{item}` (`max_values`: {:?}, `max_size`: {:?}, added: {added}, mode: `{mode}`)",
							k.max_values, k.max_size
						)
					}
					None => format!(
						"Proof: `{pallet}::{item}` (`max_values`: {:?}, `max_size`: {:?}, mode: `{mode}`)",
						k.max_values, k.max_size
					),
				},
				None => format!("Proof: UNKNOWN KEY `0x{}` (r:{reads} w:{writes})", hex(key)),
			});
		}
	}
	comments
}

/// As the CLI: the proof overhead of reading a key of a map with `max_values` entries the first time
/// (15 sibling hashes of 33 bytes per trie layer).
fn single_read_pov_overhead(max_values: Option<u32>) -> u32 {
	let n = max_values.unwrap_or(WORST_CASE_MAP_VALUES);
	let depth = match n {
		0 => 0,
		1..=16 => 1,
		17..=256 => 2,
		257..=4_096 => 3,
		4_097..=65_536 => 4,
		65_537..=1_048_576 => 5,
		1_048_577..=16_777_216 => 6,
		16_777_217..=268_435_456 => 7,
		_ => 8,
	};
	depth * 15 * 33
}

fn hex(b: &[u8]) -> String {
	b.iter().map(|x| format!("{x:02x}")).collect()
}

// ------------------------------------------------------------------------------------------ output

/// `1234567` -> `1_234_567`, as the template's `underscore` helper.
fn underscore(n: u128) -> String {
	let s = n.to_string();
	let mut out = String::new();
	for (i, c) in s.chars().enumerate() {
		if i != 0 && (s.len() - i).is_multiple_of(3) {
			out.push('_');
		}
		out.push(c);
	}
	out
}

fn params(b: &BenchmarkData, mark_unused: bool) -> String {
	b.components
		.iter()
		.map(|(n, used)| format!("{}{n}: u32, ", if mark_unused && !used { "_" } else { "" }))
		.collect::<String>()
		.trim_end_matches(", ")
		.to_string()
}

/// The body of one weight function, as the template writes it, priced with `db`.
fn weight_fn(out: &mut String, b: &BenchmarkData, db: &str) {
	let p = |s: &[Slope]| {
		s.iter().map(|c| format!(" + {} * ({} ±{})", c.name, c.slope, underscore(c.error))).collect::<String>()
	};
	for c in &b.comments {
		out.push_str(&format!("\t/// {c}\n"));
	}
	for (n, min, max) in &b.ranges {
		out.push_str(&format!("\t/// The range of component `{n}` is `[{min}, {max}]`.\n"));
	}
	out.push_str(&format!("\tfn {}({}) -> Weight {{\n", b.name, params(b, true)));
	out.push_str("\t\t// Proof Size summary in bytes:\n");
	out.push_str(&format!(
		"\t\t//  Measured:  `{}{}`\n",
		b.base_recorded_proof_size,
		p(&b.component_recorded_proof_size)
	));
	out.push_str(&format!(
		"\t\t//  Estimated: `{}{}`\n",
		b.base_calculated_proof_size,
		p(&b.component_calculated_proof_size)
	));
	out.push_str(&format!("\t\t// Minimum execution time: {}_000 picoseconds.\n", underscore(b.min_execution_time)));
	// the analysis gives times in picoseconds, the minimum in nanoseconds
	out.push_str(&format!("\t\tWeight::from_parts({}, {})\n", underscore(b.base_weight), b.base_calculated_proof_size));
	for c in &b.component_weight {
		out.push_str(&format!("\t\t\t// Standard Error: {}\n", underscore(c.error)));
		out.push_str(&format!(
			"\t\t\t.saturating_add(Weight::from_parts({}, 0).saturating_mul({}.into()))\n",
			underscore(c.slope),
			c.name
		));
	}
	if b.base_reads != 0 {
		out.push_str(&format!("\t\t\t.saturating_add({db}.reads({}_u64))\n", b.base_reads));
	}
	for c in &b.component_reads {
		out.push_str(&format!(
			"\t\t\t.saturating_add({db}.reads(({}_u64).saturating_mul({}.into())))\n",
			c.slope, c.name
		));
	}
	if b.base_writes != 0 {
		out.push_str(&format!("\t\t\t.saturating_add({db}.writes({}_u64))\n", b.base_writes));
	}
	for c in &b.component_writes {
		out.push_str(&format!(
			"\t\t\t.saturating_add({db}.writes(({}_u64).saturating_mul({}.into())))\n",
			c.slope, c.name
		));
	}
	for c in &b.component_calculated_proof_size {
		out.push_str(&format!(
			"\t\t\t.saturating_add(Weight::from_parts(0, {}).saturating_mul({}.into()))\n",
			c.slope, c.name
		));
	}
	out.push_str("\t}\n");
}

/// polkadot-sdk's pallet weight template (`frame-weight-template.hbs`), with no hostname or CPU in the
/// header.
fn weights_rs(o: &Options, benchmarks: &[BenchmarkData], command: &[String]) -> String {
	let date = std::process::Command::new("date")
		.args(["-u", "+%Y-%m-%d"])
		.output()
		.ok()
		.and_then(|o| String::from_utf8(o.stdout).ok())
		.map(|s| s.trim().to_string())
		.unwrap_or_default();
	let mut out = String::new();
	out.push_str("//! Autogenerated weights for `pallet_sah_bridge`\n//!\n");
	out.push_str(
		"//! THIS FILE WAS AUTO-GENERATED BY contracts/substrate/runtime/benches/pallet_weights.rs (the steps and\n\
		 //! analysis of the Substrate benchmark CLI, frame-benchmarking-cli 64, run natively).\n",
	);
	out.push_str(&format!(
		"//! DATE: {date}, STEPS: `{}`, REPEAT: `{}`, LOW RANGE: `[]`, HIGH RANGE: `[]`\n",
		o.steps, o.repeat
	));
	out.push_str(&format!("//! WORST CASE MAP SIZE: `{WORST_CASE_MAP_VALUES}`\n"));
	out.push_str(&format!(
		"//! EXECUTION: native (the runtime compiled for the host, `bench` profile), not wasm; MIN DURATION: `{}` s\n",
		o.min_duration
	));
	out.push_str(&format!(
		"//! CHAIN: the sah-dev-runtime `development` genesis preset, in memory, with `Timestamp::Now` = {CLOCK_MS}\n\n"
	));
	out.push_str("// Executed Command:\n");
	for a in command {
		out.push_str(&format!("// {a}\n"));
	}
	out.push_str(
		"\n#![cfg_attr(rustfmt, rustfmt_skip)]\n#![allow(unused_parens)]\n#![allow(unused_imports)]\n#![allow(missing_docs)]\n\n\
		 use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};\nuse core::marker::PhantomData;\n\n",
	);
	out.push_str("/// Weight functions needed for `pallet_sah_bridge`.\npub trait WeightInfo {\n");
	for b in benchmarks {
		out.push_str(&format!("\tfn {}({}) -> Weight;\n", b.name, params(b, false)));
	}
	out.push_str("}\n\n");
	out.push_str("/// Weights for `pallet_sah_bridge` using the Substrate node and recommended hardware.\n");
	out.push_str("pub struct SubstrateWeight<T>(PhantomData<T>);\n");
	out.push_str("impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {\n");
	for b in benchmarks {
		weight_fn(&mut out, b, "T::DbWeight::get()");
	}
	out.push_str("}\n\n// For backwards compatibility and tests.\nimpl WeightInfo for () {\n");
	for b in benchmarks {
		weight_fn(&mut out, b, "RocksDbWeight::get()");
	}
	out.push_str("}\n");
	out
}

fn main() {
	let o = options();
	sp_tracing::try_init_simple();
	let genesis = RuntimeGenesisConfig::default();
	let preset = sah_dev_runtime::genesis::preset(&sp_genesis_builder::DEV_RUNTIME_PRESET.into())
		.expect("the runtime has a development preset");
	let config: RuntimeGenesisConfig = {
		// the preset is the whole config (genesis.rs); merged over the default as `build_state` does
		let mut json = serde_json::to_value(&genesis).expect("the default config serializes");
		merge(&mut json, serde_json::from_slice(&preset).expect("the preset is JSON"));
		serde_json::from_value(json).expect("the preset is a genesis config")
	};
	let mut storage = config.build_storage().expect("the development genesis builds");
	// a clock: a fresh genesis has none (`UnixTime::now` is 0), and `expire_job` needs a deadline in
	// the past (it skips itself at 0)
	storage.top.insert(pallet_timestamp::Now::<sah_dev_runtime::Runtime>::hashed_key().to_vec(), CLOCK_MS.encode());
	let state = BenchState::new(InMemoryBackend::<H>::from((storage, StateVersion::V1)));
	let whitelist = AllPalletsWithSystem::whitelisted_storage_keys();
	state.set_whitelist(whitelist.clone());
	let storage_info = AllPalletsWithSystem::storage_info();

	let measured = measure(&state, &o, &whitelist);
	let data: Vec<BenchmarkData> = measured.iter().map(|m| benchmark_data(m, &storage_info)).collect();
	let command = [
		"bash contracts/substrate/benchmark-weights.sh".to_string(),
		format!("--steps={}", o.steps),
		format!("--repeat={}", o.repeat),
		format!("--min-duration={}", o.min_duration),
	];
	let text = weights_rs(&o, &data, &command);
	match &o.output {
		Some(path) => {
			std::fs::write(path, text).unwrap_or_else(|e| panic!("write {path}: {e}"));
			eprintln!("[pallet_weights] wrote {path}");
		}
		None => print!("{text}"),
	}
}

/// JSON merge patch (objects merged key by key, anything else replaced), as frame-support's
/// `json_merge` for genesis presets.
fn merge(a: &mut serde_json::Value, b: serde_json::Value) {
	match (a, b) {
		(serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
			for (k, v) in b {
				merge(a.entry(k).or_insert(serde_json::Value::Null), v);
			}
		}
		(a, b) => *a = b,
	}
}
