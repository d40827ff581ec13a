//! The `resource` binary run as a user runs it: real devnets on the real node, and bad input.
//! Each test uses its own devnet folder and port offset so they run side by side.
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

fn resource(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_resource"));
    command.args(args).env_remove("RESOURCE_DEVNET_HOME").env_remove("RESOURCE_DEVNET_PORT_OFFSET");
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("the resource binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn assert_one_line_error(output: &Output, needle: &str) {
    assert!(!output.status.success(), "expected failure, got {output:?}");
    let text = stderr(output);
    // Progress lines may come first; the error is one line, and the last.
    let errors: Vec<&str> = text.lines().filter(|line| line.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "one error line expected, got:\n{text}");
    assert_eq!(text.lines().last(), Some(errors[0]), "nothing follows the error:\n{text}");
    assert!(errors[0].starts_with("error: ") && errors[0].contains(needle), "got: {text}");
}

/// Stops the devnet of `home` when dropped, so a failing assertion leaves no node behind.
struct Devnet<'a>(&'a Path);

impl Drop for Devnet<'_> {
    fn drop(&mut self) {
        let _ = resource(&["devnet", "down", "--home", self.0.to_str().unwrap()]).output();
    }
}

fn status_json(home: &str) -> serde_json::Value {
    let output = run(&mut resource(&["devnet", "status", "--json", "--home", home]));
    assert!(output.status.success(), "status failed: {}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("status --json prints one JSON object")
}

fn pids(home: &Path) -> Vec<u32> {
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.join("devnet.json")).unwrap()).unwrap();
    state["chains"].as_array().unwrap().iter().filter_map(|c| c["pid"].as_u64()).map(|p| p as u32).collect()
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| {
            !matches!(stat.rsplit_once(')').and_then(|(_, rest)| rest.trim_start().chars().next()), Some('Z') | None)
        })
        .unwrap_or(false)
}

#[test]
fn unknown_subcommand_is_one_line_saying_what_to_do() {
    let output = run(&mut resource(&["frobnicate"]));
    assert_one_line_error(&output, "unknown subcommand `frobnicate`; run `resource --help`");
    assert_eq!(output.status.code(), Some(2));
    let output = run(&mut resource(&["devnet", "sideways"]));
    assert_one_line_error(&output, "unknown subcommand `sideways`");
}

#[test]
fn status_and_down_without_a_devnet() {
    let home = scratch("none");
    let home = home.to_str().unwrap();
    assert_one_line_error(&run(&mut resource(&["devnet", "status", "--home", home])), "no devnet is running");
    let output = run(&mut resource(&["devnet", "down", "--home", home]));
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("no devnet was running"));
}

#[test]
fn a_bad_chain_count_is_rejected_before_anything_starts() {
    let home = scratch("count");
    let output = run(&mut resource(&["devnet", "up", "--chains", "0", "--home", home.to_str().unwrap()]));
    assert_one_line_error(&output, "--chains must be between 1 and 4");
    assert!(!home.join("devnet.json").exists());
}

#[test]
fn a_node_that_is_missing_and_cannot_be_installed_is_one_clear_line() {
    let home = scratch("noinstall");
    let cache = scratch("noinstall-cache");
    // An empty cache and no Python on PATH: the node cannot be downloaded.
    let output = run(resource(&["devnet", "up", "--port-offset", "600", "--home", home.to_str().unwrap()])
        .env("RESOURCE_CACHE", &cache)
        .env("PATH", cache.join("empty-bin")));
    assert_one_line_error(&output, "could not be installed");
    assert!(stderr(&output).contains("Install Python 3 with pip"), "{}", stderr(&output));
    assert!(!cache.join("injective-core-1.20.1").exists(), "nothing half-installed is left");

    let output = run(resource(&["devnet", "up", "--port-offset", "600", "--home", home.to_str().unwrap()])
        .env("RESOURCE_INJECTIVED", "/nonexistent/injectived"));
    assert_one_line_error(&output, "RESOURCE_INJECTIVED points to /nonexistent/injectived");
}

#[test]
fn a_taken_port_is_named_and_nothing_starts() {
    let home = scratch("port");
    let offset = 700u16;
    let _squatter = TcpListener::bind(("127.0.0.1", 26657 + offset)).expect("test port free");
    let output =
        run(&mut resource(&["devnet", "up", "--port-offset", &offset.to_string(), "--home", home.to_str().unwrap()]));
    assert_one_line_error(&output, &format!("port {} (RPC of chain resource-1) is already in use", 26657 + offset));
    assert!(!home.join("devnet.json").exists());
}

#[test]
fn devnet_up_status_down_on_the_real_node() {
    let dir = scratch("lifecycle");
    let home = dir.to_str().unwrap();
    let _guard = Devnet(&dir);
    let output = run(&mut resource(&["devnet", "up", "--port-offset", "200", "--home", home]));
    assert!(output.status.success(), "devnet up failed: {}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("http://127.0.0.1:26857"));

    let first = status_json(home);
    let chains = first["chains"].as_array().unwrap();
    assert_eq!(chains.len(), 1);
    assert_eq!(chains[0]["chain_id"], "resource-1");
    assert_eq!(chains[0]["rpc"], "http://127.0.0.1:26857");
    assert_eq!(chains[0]["grpc"], "http://127.0.0.1:10100");
    assert_eq!(chains[0]["rest"], "http://127.0.0.1:10537");
    std::thread::sleep(Duration::from_millis(2500));
    let second = status_json(home);
    let (h1, h2) = (first["chains"][0]["height"].as_u64().unwrap(), second["chains"][0]["height"].as_u64().unwrap());
    assert!(h2 > h1, "height must grow: {h1} then {h2}");

    let human = run(&mut resource(&["devnet", "status", "--home", home]));
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("inj1l67pxmnuaqyeefqp5d3hecf0sjgq79tcyqkws7"), "alice's address is listed:\n{text}");

    assert_one_line_error(
        &run(&mut resource(&["devnet", "up", "--port-offset", "200", "--home", home])),
        "already running",
    );

    let running = pids(&dir);
    assert_eq!(running.len(), 1);
    assert!(alive(running[0]));
    let output = run(&mut resource(&["devnet", "down", "--home", home]));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!alive(running[0]), "down leaves no process");
    assert_one_line_error(&run(&mut resource(&["devnet", "status", "--home", home])), "no devnet is running");
}

#[test]
fn two_independent_chains_for_ibc() {
    let dir = scratch("two");
    let home = dir.to_str().unwrap();
    let _guard = Devnet(&dir);
    let output = run(&mut resource(&["devnet", "up", "--chains", "2", "--port-offset", "300", "--home", home]));
    assert!(output.status.success(), "devnet up failed: {}", stderr(&output));
    let status = status_json(home);
    let chains = status["chains"].as_array().unwrap();
    let ids: Vec<&str> = chains.iter().map(|c| c["chain_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["resource-1", "resource-2"]);
    assert_ne!(chains[0]["rpc"], chains[1]["rpc"]);
    assert!(chains.iter().all(|c| c["height"].as_u64().unwrap() >= 2));
    let running = pids(&dir);
    assert_eq!(running.len(), 2);
    assert!(run(&mut resource(&["devnet", "down", "--home", home])).status.success());
    assert!(running.iter().all(|pid| !alive(*pid)));
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The cells of the first table after the line starting with `heading`, header row first.
fn table_after<'a>(text: &'a str, heading: &str) -> Vec<Vec<&'a str>> {
    text.lines()
        .skip_while(|line| !line.starts_with(heading))
        .skip_while(|line| !line.starts_with('┌'))
        .take_while(|line| !line.starts_with('└'))
        .filter(|line| line.starts_with('│'))
        .map(|line| line.trim_matches('│').split('┆').map(str::trim).collect())
        .collect()
}

#[test]
fn demo_runs_the_pilot_on_the_embedded_chain() {
    let output = run(&mut resource(&["demo"]));
    assert!(output.status.success(), "demo failed: {}", stderr(&output));
    let text = stdout(&output);
    for step in 1..=7 {
        let rows = table_after(&text, &format!("Step {step} of 7: "));
        assert_eq!(
            rows.first().map(Vec::as_slice),
            Some(&["member", "account", "balance", "credit limit", "available"][..])
        );
        assert_eq!(rows.len(), 6, "step {step}: a row per member:\n{text}");
    }
    // Payday: the bakery's benefits are spent into existence on its line.
    assert_eq!(
        table_after(&text, "Step 2 of 7: ")[1],
        ["Blue Ridge Bakery", "alice", "-800.00", "2,000.00", "1,200.00"]
    );
    assert!(text.contains("minted 800.00 · burned 0.00 · total supply 800.00 rUSD"), "{text}");
    // The grocery draws on its line while the bakery earns back: minted and burned in one payment.
    assert!(text.contains("Riverside Grocery pays Blue Ridge Bakery 600.00 rUSD: minted 350.00, burned 600.00"));
    let last = table_after(&text, "Step 7 of 7: ");
    let expected = [
        ["Blue Ridge Bakery", "alice", "100.00", "2,000.00", "2,100.00"],
        ["Mara", "bob", "150.00", "no line", "150.00"],
        ["Jon", "carol", "0.00", "no line", "0.00"],
        ["Riverside Grocery", "dave", "-250.00", "1,000.00", "750.00"],
        ["Mountain Clinic", "erin", "0.00", "1,000.00", "1,000.00"],
    ];
    assert_eq!(last[1..], expected, "{text}");
    assert!(text.contains("minted 0.00 · burned 100.00 · total supply 250.00 rUSD"), "{text}");

    // The clearing part: eight invoices between four businesses, proposed and accepted.
    assert!(text.contains("Clearing contract: "), "{text}");
    let invoices = table_after(&text, "Clearing step 2 of 4: ");
    let expected = [
        ["invoice", "debtor", "creditor", "for", "amount", "status"],
        ["1", "Blue Ridge Bakery", "French Broad Mill", "flour", "1,200.00", "accepted"],
        ["2", "Riverside Grocery", "Blue Ridge Bakery", "bread for its shelves", "800.00", "accepted"],
        ["3", "Mountain Clinic", "Riverside Grocery", "medical and cleaning supplies", "650.00", "accepted"],
        ["4", "French Broad Mill", "Mountain Clinic", "health checks for the millers", "300.00", "accepted"],
        ["5", "Blue Ridge Bakery", "Riverside Grocery", "eggs and butter", "350.00", "accepted"],
        ["6", "Blue Ridge Bakery", "Mountain Clinic", "flu shots for the bakers", "150.00", "accepted"],
        ["7", "French Broad Mill", "Riverside Grocery", "the mill's canteen", "250.00", "accepted"],
        ["8", "Riverside Grocery", "French Broad Mill", "stone-ground flour", "200.00", "accepted"],
    ];
    assert_eq!(invoices, expected, "{text}");
    assert!(text.contains("8 invoices between 4 businesses: 3,900.00 rUSD of trade credit."), "{text}");

    // The round: what each invoice had cleared and what is left.
    let cleared = table_after(&text, "Clearing step 3 of 4: ");
    let expected = [
        ["invoice", "debtor", "creditor", "amount", "cleared", "remaining", "status"],
        ["1", "Blue Ridge Bakery", "French Broad Mill", "1,200.00", "350.00", "850.00", "accepted"],
        ["2", "Riverside Grocery", "Blue Ridge Bakery", "800.00", "800.00", "0.00", "cleared"],
        ["3", "Mountain Clinic", "Riverside Grocery", "650.00", "450.00", "200.00", "accepted"],
        ["4", "French Broad Mill", "Mountain Clinic", "300.00", "300.00", "0.00", "cleared"],
        ["5", "Blue Ridge Bakery", "Riverside Grocery", "350.00", "300.00", "50.00", "accepted"],
        ["6", "Blue Ridge Bakery", "Mountain Clinic", "150.00", "150.00", "0.00", "cleared"],
        ["7", "French Broad Mill", "Riverside Grocery", "250.00", "250.00", "0.00", "cleared"],
        ["8", "Riverside Grocery", "French Broad Mill", "200.00", "200.00", "0.00", "cleared"],
    ];
    assert_eq!(cleared, expected, "{text}");
    // Each business's net position (is owed minus owes) before and after the round.
    let round = &text[text.find("Clearing step 3 of 4: ").expect("a round")..];
    let positions = table_after(&round[round.find('└').expect("the invoice table ends")..], "└");
    let expected = [
        ["business", "owes before", "is owed before", "net before", "owes after", "is owed after", "net after"],
        ["Blue Ridge Bakery", "1,700.00", "800.00", "-900.00", "900.00", "0.00", "-900.00"],
        ["Riverside Grocery", "1,000.00", "1,250.00", "250.00", "0.00", "250.00", "250.00"],
        ["Mountain Clinic", "650.00", "450.00", "-200.00", "200.00", "0.00", "-200.00"],
        ["French Broad Mill", "550.00", "1,400.00", "850.00", "0.00", "850.00", "850.00"],
    ];
    assert_eq!(positions, expected, "{text}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(
            "Gross debt before the round 3,900.00 rUSD; cleared 2,800.00 rUSD; remaining 1,100.00 rUSD on 3 \
             invoices: 71.8 % of the debt disappeared without any payment. Every business's net position (what it \
             is owed minus what it owes) is unchanged."
        ),
        "{text}"
    );

    // The clinic settles what is left of its invoice with credit: it spends into its line, the grocery
    // pays down its debt with what it receives, and the supply does not move.
    assert!(
        flat.contains(
            "Mountain Clinic pays Riverside Grocery the 200.00 rUSD left of invoice 3 through the clearing \
             contract: minted 200.00, burned 200.00"
        ),
        "{text}"
    );
    assert!(text.contains("invoice 3 is settled: 200.00 rUSD settled with credit"), "{text}");
    let members = table_after(&text, "Clearing step 4 of 4: ");
    let expected = [
        ["Blue Ridge Bakery", "alice", "100.00", "2,000.00", "2,100.00"],
        ["Mara", "bob", "150.00", "no line", "150.00"],
        ["Jon", "carol", "0.00", "no line", "0.00"],
        ["Riverside Grocery", "dave", "-50.00", "1,000.00", "950.00"],
        ["Mountain Clinic", "erin", "-200.00", "1,000.00", "800.00"],
    ];
    assert_eq!(members[1..], expected, "{text}");
    assert!(text.contains("minted 200.00 · burned 200.00 · total supply 250.00 rUSD"), "{text}");
    let totals = table_after(&text, "The clearing contract's totals:");
    assert_eq!(
        totals,
        [
            ["gross outstanding", "cleared to date", "settled with credit", "open invoices", "rounds"],
            ["900.00", "2,800.00", "200.00", "2", "1"],
        ],
        "{text}"
    );

    let summary = text[text.find("Summary:").expect("a summary")..].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(summary.contains("created 1,350.00 rUSD"), "{summary}");
    assert!(summary.contains("destroyed 1,100.00 rUSD"), "{summary}");
    assert!(summary.contains("250.00 rUSD is in circulation"), "{summary}");
    assert!(summary.contains("owed by Riverside Grocery 50.00, Mountain Clinic 200.00"), "{summary}");
    assert!(
        summary.contains(
            "the 4 businesses owed each other 3,900.00 rUSD on 8 invoices. One clearing round cancelled 2,800.00 \
             rUSD of it (71.8 %) without any payment"
        ),
        "{summary}"
    );
    assert!(
        summary.contains("Mountain Clinic then settled the 200.00 rUSD left of invoice 3 with credit"),
        "{summary}"
    );
    assert!(summary.contains("900.00 rUSD is still open on 2 invoices"), "{summary}");
    assert!(summary.contains("the signed balances sum to 0"), "{summary}");
    assert!(summary.contains("no net position moved"), "{summary}");
}

#[test]
fn demo_on_the_devnet_says_what_is_missing() {
    let dir = scratch("demo-missing");
    let home = dir.to_str().unwrap();
    let artifacts = dir.join("artifacts");
    let demo = |artifacts: &Path| {
        run(&mut resource(&["demo", "--chain", "devnet", "--home", home, "--artifacts", artifacts.to_str().unwrap()]))
    };
    assert_one_line_error(
        &demo(&artifacts),
        "credit_token.wasm; build it with `cargo xtask wasm -p resource-credit-token`",
    );
    std::fs::create_dir_all(&artifacts).unwrap();
    // Any bytes will do: without a devnet the demo stops before the chain would look at them.
    std::fs::write(artifacts.join("credit_token.wasm"), b"\0asm").unwrap();
    assert_one_line_error(&demo(&artifacts), "clearing.wasm; build it with `cargo xtask wasm -p resource-clearing`");
    std::fs::write(artifacts.join("clearing.wasm"), b"\0asm").unwrap();
    assert_one_line_error(&demo(&artifacts), "no devnet is running in");
    assert!(stderr(&demo(&artifacts)).contains("start one with `resource devnet up`"));
}

#[test]
fn clearing_solve_reads_csv_and_writes_the_set_off() {
    let dir = scratch("clearing-solve");
    std::fs::create_dir_all(&dir).unwrap();
    // Two cycles share the bakery -> mill invoice; the farm's invoice is on no cycle.
    let csv = dir.join("invoices.csv");
    std::fs::write(
        &csv,
        "id,debtor,creditor,amount\n\
         1,bakery,mill,500\n2,mill,farm,300\n3,farm,bakery,200\n4,mill,grocer,250\n5,grocer,bakery,250\n6,cafe,farm,90\n",
    )
    .unwrap();
    let out = dir.join("set-off.json");
    let output = run(&mut resource(&[
        "clearing",
        "solve",
        "--obligations",
        csv.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]));
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(stdout(&output).trim()).expect("one JSON document");
    // bakery->mill carries 450 (200 via the farm cycle, 250 via the grocer cycle): 3 x 200 + 3 x 250.
    assert_eq!(report["cleared"], "1350");
    assert_eq!(report["gross"], "1590");
    assert_eq!((report["obligations"].as_u64(), report["participants"].as_u64()), (Some(6), Some(5)));
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written, report["set_off"]);
    assert_eq!(written["entries"][0], serde_json::json!({"id": 1, "amount": "450"}));

    // The readable report.
    let output = run(&mut resource(&["clearing", "solve", "--obligations", csv.to_str().unwrap()]));
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("84.9 %"), "{text}");
    assert!(text.contains("net position is unchanged"), "{text}");

    // Bad input: one line saying what is wrong and where.
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "id,debtor,creditor,amount\n1,a,b,ten\n").unwrap();
    let output = run(&mut resource(&["clearing", "solve", "--obligations", bad.to_str().unwrap()]));
    assert_one_line_error(&output, "line 2: amount `ten` is not a whole number");
    let output = run(&mut resource(&["clearing", "solve", "--obligations", dir.join("none.csv").to_str().unwrap()]));
    assert_one_line_error(&output, "check the path");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn clearing_submit_and_did_resolve_refuse_bad_input_before_touching_a_chain() {
    let dir = scratch("clearing-submit-bad");
    let home = dir.join("no-devnet");
    let home = home.to_str().unwrap();
    let missing = dir.join("none.json");
    let output = run(&mut resource(&[
        "clearing",
        "submit",
        "--contract",
        "inj1x",
        "--set-off",
        missing.to_str().unwrap(),
        "--home",
        home,
    ]));
    assert_one_line_error(&output, "check the path");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"entries": "none"}"#).unwrap();
    let output = run(&mut resource(&[
        "clearing",
        "submit",
        "--contract",
        "inj1x",
        "--set-off",
        bad.to_str().unwrap(),
        "--home",
        home,
    ]));
    assert_one_line_error(&output, "not a set-off file");
    let good = dir.join("good.json");
    std::fs::write(&good, r#"{"entries": [{"id": 1, "amount": "5"}]}"#).unwrap();
    let output = run(&mut resource(&[
        "clearing",
        "submit",
        "--contract",
        "inj1x",
        "--set-off",
        good.to_str().unwrap(),
        "--from",
        "mallory",
        "--home",
        home,
    ]));
    assert_one_line_error(&output, "no test account `mallory`");
    let output = run(&mut resource(&[
        "clearing",
        "submit",
        "--contract",
        "inj1x",
        "--set-off",
        good.to_str().unwrap(),
        "--home",
        home,
    ]));
    assert_one_line_error(&output, "no devnet is running");
    // A malformed DID is answered locally (W3C invalidDid on stdout, one error line, exit 1).
    let output = run(&mut resource(&["did", "resolve", "did:resource:", "--registry", "inj1x", "--home", home]));
    assert_one_line_error(&output, "did not resolve: invalidDid");
    let shown: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(shown["didResolutionMetadata"]["error"], "invalidDid");
}
