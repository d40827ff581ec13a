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

    // `resource deploy` on the running chain (no devnet of its own).
    deploy_a_network_on_a_running_devnet(&dir, "http://127.0.0.1:26857");

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

/// Every table of the page that starts with the line starting with `heading`, up to the next page.
fn tables_of<'a>(text: &'a str, heading: &str) -> Vec<Vec<Vec<&'a str>>> {
    let page: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with(heading))
        .enumerate()
        .take_while(|(i, line)| *i == 0 || !is_heading(line))
        .map(|(_, line)| line)
        .collect();
    let mut tables = Vec::new();
    let mut current: Option<Vec<Vec<&str>>> = None;
    for line in page {
        if line.starts_with('┌') {
            current = Some(Vec::new());
        } else if line.starts_with('└') {
            tables.extend(current.take());
        } else if line.starts_with('│') {
            if let Some(rows) = current.as_mut() {
                rows.push(line.trim_matches('│').split('┆').map(str::trim).collect());
            }
        }
    }
    tables
}

fn is_heading(line: &str) -> bool {
    ["Step ", "Clearing step ", "Underwriting step ", "Credential step ", "Summary:"]
        .iter()
        .any(|h| line.starts_with(h))
}

/// The text with its whitespace runs made single spaces (prose is wrapped).
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

const MEMBERS_HEADER: [&str; 5] = ["member", "account", "balance", "credit limit", "available"];
const UNDERWRITERS_HEADER: [&str; 7] = [
    "underwriter",
    "free (INJ)",
    "locked (INJ)",
    "unbonding (INJ)",
    "slashed (INJ)",
    "exposure (INJ)",
    "rewards (rUSD)",
];

#[test]
fn demo_runs_the_pilot_on_the_embedded_chain() {
    let dir = scratch("demo-embedded");
    let report = dir.join("report.html");
    let output = run(&mut resource(&["demo", "--report", report.to_str().unwrap()]));
    assert!(output.status.success(), "demo failed: {}", stderr(&output));
    let text = stdout(&output);
    check_demo_story(&text);
    assert!(text.ends_with(&format!("The report, with its charts, is in {}.\n", report.display())), "{text}");
    check_report(&report);
    // --no-report writes none and says nothing of it.
    let dir = scratch("demo-no-report");
    let output = run(resource(&["demo", "--no-report"]).current_dir(&dir));
    assert!(output.status.success(), "demo failed: {}", stderr(&output));
    assert!(!stdout(&output).contains("The report"), "{}", stdout(&output));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "--no-report wrote a file");
}

/// The demo's HTML report: one small self-contained file with its three charts.
fn check_report(report: &Path) {
    let html = std::fs::read_to_string(report).expect("the demo writes its report");
    assert!(html.len() < 1024 * 1024, "the report is {} bytes", html.len());
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"), "{html}");
    for chart in ["<figure id=\"supply\">", "<figure id=\"balances\">", "<figure id=\"clearing\">"] {
        assert!(html.contains(chart), "no {chart} in the report");
    }
    // One point per step: the deployment, 8 story steps, 4 clearing, 6 underwriting, 3 credential
    // steps and the meta-network payment.
    assert_eq!(html.matches("<circle class=\"point\"").count(), 23);
    assert!(html.contains("2,800.00 set off without any payment"), "the clearing chart's caption");
}

/// The report rendered in headless Chromium (playwright-core from sdk-wasm/node_modules, Chromium at
/// $RESOURCE_CHROMIUM or /usr/bin/chromium) by tests/report_screenshot.mjs, which fails on any
/// request or on a chart without a box; the screenshot is kept in target/demo-artifacts/report.png.
#[test]
fn demo_report_renders_in_headless_chromium() {
    let dir = scratch("demo-report");
    let report = dir.join("resource-demo.html");
    // The default path: resource-demo.html in the current folder.
    let output = run(resource(&["demo"]).current_dir(&dir));
    assert!(output.status.success(), "demo failed: {}", stderr(&output));
    assert!(stdout(&output).ends_with("The report, with its charts, is in resource-demo.html.\n"));
    check_report(&report);
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("demo-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let screenshot = artifacts.join("report.png");
    let _ = std::fs::remove_file(&screenshot);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/report_screenshot.mjs");
    let output = match Command::new("node").arg(&script).arg(&report).arg(&screenshot).output() {
        Ok(output) => output,
        Err(error) => panic!(
            "this test needs Node.js (`node` on PATH), with playwright-core in sdk-wasm/node_modules (npm ci there) \
             and Chromium (/usr/bin/chromium or $RESOURCE_CHROMIUM): {error}"
        ),
    };
    assert!(
        output.status.success(),
        "rendering the report in headless Chromium failed:\n{}{}",
        stdout(&output),
        stderr(&output)
    );
    let size = std::fs::metadata(&screenshot).expect("the screenshot is written").len();
    assert!(size > 50_000, "the screenshot is only {size} bytes");
}

/// The figures of the demo's story, the same on every chain.
fn check_demo_story(text: &str) {
    let flat_text = flat(text);
    assert!(text.contains("Underwriting contract: "), "{text}");

    // Underwriters stake, then back the pilot's three lines; the last backing of each approves it.
    let stake = tables_of(text, "Step 1 of 8: ");
    assert_eq!(stake.len(), 1, "{text}");
    assert_eq!(stake[0][0], UNDERWRITERS_HEADER);
    assert_eq!(stake[0][1], ["Mountain Credit Union", "300.00", "0.00", "0.00", "0.00", "0.00", "0.00"]);
    assert!(
        flat_text.contains(
            "Asheville Community Fund backs Blue Ridge Bakery with 60.00 INJ: application 1 is approved and the \
             credit token opens Blue Ridge Bakery's 2,000.00 rUSD line"
        ),
        "{text}"
    );
    let lines = tables_of(text, "Step 2 of 8: ");
    assert_eq!(lines.len(), 3, "{text}");
    // The last column counts down to the term's end from the chain's clock: not compared.
    let applications: Vec<&[&str]> = lines[0].iter().map(|row| &row[..8]).collect();
    assert_eq!(
        applications,
        [
            &[
                "application",
                "applicant",
                "amount (rUSD)",
                "term",
                "backing (INJ)",
                "required (INJ)",
                "backers",
                "status"
            ][..],
            &["1", "Blue Ridge Bakery", "2,000.00", "365 d", "200.00", "200.00", "3", "approved"],
            &["2", "Riverside Grocery", "1,000.00", "365 d", "100.00", "100.00", "3", "approved"],
            &["3", "Mountain Clinic", "1,000.00", "365 d", "100.00", "100.00", "3", "approved"],
        ]
    );
    assert!(lines[0][1][8].starts_with("term ends in 36"), "{text}");
    assert_eq!(
        lines[1][1..],
        [
            ["Mountain Credit Union", "140.00", "160.00", "0.00", "0.00", "160.00", "0.00"],
            ["Blue Ridge Angels", "180.00", "120.00", "0.00", "0.00", "120.00", "0.00"],
            ["Asheville Community Fund", "180.00", "120.00", "0.00", "0.00", "120.00", "0.00"],
        ]
    );
    assert_eq!(lines[2][0], MEMBERS_HEADER);
    assert_eq!(lines[2][1], ["Blue Ridge Bakery", "alice", "0.00", "2,000.00", "2,000.00"]);

    for step in 3..=8 {
        let tables = tables_of(text, &format!("Step {step} of 8: "));
        assert_eq!(tables.len(), 1, "step {step}: the members' table:\n{text}");
        assert_eq!(tables[0][0], MEMBERS_HEADER);
        assert_eq!(tables[0].len(), 6, "step {step}: a row per member:\n{text}");
    }
    // Payday: the benefits and the 1 % fee are spent into existence on the bakery's line.
    assert_eq!(
        tables_of(text, "Step 3 of 8: ")[0][1],
        ["Blue Ridge Bakery", "alice", "-808.00", "2,000.00", "1,192.00"]
    );
    assert!(text.contains("minted 808.00 · burned 0.00 · fees 8.00 · total supply 808.00 rUSD"), "{text}");
    // The grocery draws on its line while the bakery earns back: minted and burned in one payment.
    assert!(
        text.contains("Riverside Grocery pays Blue Ridge Bakery 600.00 rUSD: minted 356.00, burned 600.00, fee 6.00")
    );
    let last = tables_of(text, "Step 8 of 8: ");
    let expected = [
        ["Blue Ridge Bakery", "alice", "92.00", "2,000.00", "2,092.00"],
        ["Mara", "bob", "147.50", "no line", "147.50"],
        ["Jon", "carol", "0.04", "no line", "0.04"],
        ["Riverside Grocery", "dave", "-260.00", "1,000.00", "740.00"],
        ["Mountain Clinic", "erin", "-3.00", "1,000.00", "997.00"],
    ];
    assert_eq!(last[0][1..], expected, "{text}");
    assert!(text.contains("minted 0.00 · burned 96.00 · fees 0.96 · total supply 263.00 rUSD"), "{text}");

    // The clearing part: eight invoices between four businesses, proposed and accepted.
    assert!(text.contains("Clearing contract: "), "{text}");
    let invoices = &tables_of(text, "Clearing step 2 of 4: ")[0];
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
    assert_eq!(*invoices, expected, "{text}");
    assert!(text.contains("8 invoices between 4 businesses: 3,900.00 rUSD of trade credit."), "{text}");

    // The round: what each invoice had cleared and what is left, then each business's net position
    // (is owed minus owes) before and after it.
    let round = tables_of(text, "Clearing step 3 of 4: ");
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
    assert_eq!(round[0], expected, "{text}");
    let expected = [
        ["business", "owes before", "is owed before", "net before", "owes after", "is owed after", "net after"],
        ["Blue Ridge Bakery", "1,700.00", "800.00", "-900.00", "900.00", "0.00", "-900.00"],
        ["Riverside Grocery", "1,000.00", "1,250.00", "250.00", "0.00", "250.00", "250.00"],
        ["Mountain Clinic", "650.00", "450.00", "-200.00", "200.00", "0.00", "-200.00"],
        ["French Broad Mill", "550.00", "1,400.00", "850.00", "0.00", "850.00", "850.00"],
    ];
    assert_eq!(round[1], expected, "{text}");
    assert!(
        flat_text.contains(
            "Gross debt before the round 3,900.00 rUSD; cleared 2,800.00 rUSD; remaining 1,100.00 rUSD on 3 \
             invoices: 71.8 % of the debt disappeared without any payment. Every business's net position (what it \
             is owed minus what it owes) is unchanged."
        ),
        "{text}"
    );

    // The clinic settles what is left of its invoice with credit (plus the fee, once): it spends into
    // its line and the grocery pays down its debt with what it receives.
    assert!(
        flat_text.contains(
            "Mountain Clinic pays Riverside Grocery the 200.00 rUSD left of invoice 3 through the clearing \
             contract: minted 202.00, burned 200.00, fee 2.00"
        ),
        "{text}"
    );
    assert!(text.contains("invoice 3 is settled: 200.00 rUSD settled with credit"), "{text}");
    let settled = tables_of(text, "Clearing step 4 of 4: ");
    let expected = [
        ["Blue Ridge Bakery", "alice", "92.00", "2,000.00", "2,092.00"],
        ["Mara", "bob", "147.50", "no line", "147.50"],
        ["Jon", "carol", "0.04", "no line", "0.04"],
        ["Riverside Grocery", "dave", "-60.00", "1,000.00", "940.00"],
        ["Mountain Clinic", "erin", "-205.00", "1,000.00", "795.00"],
    ];
    assert_eq!(settled[0][1..], expected, "{text}");
    assert!(text.contains("minted 202.00 · burned 200.00 · fees 2.00 · total supply 265.00 rUSD"), "{text}");
    assert_eq!(
        settled[1],
        [
            ["gross outstanding", "cleared to date", "settled with credit", "open invoices", "rounds"],
            ["900.00", "2,800.00", "200.00", "2", "1"],
        ],
        "{text}"
    );

    // The fees become rewards by exposure (160 : 120 : 120), and the underwriters claim them.
    assert!(
        flat_text.contains(
            "the operator distributes the fees: 25.46 rUSD of new fees, 25.46 to the underwriters by exposure, 0.00 \
             to the reserve"
        ),
        "{text}"
    );
    for (who, amount) in [("Mountain Credit Union", "10.184"), ("Blue Ridge Angels", "7.638")] {
        assert!(text.contains(&format!("{who} is paid {amount} rUSD of rewards")), "{text}");
    }
    let rewards = tables_of(text, "Underwriting step 1 of 6: ");
    assert_eq!(
        rewards[0],
        [
            [
                "total exposure (INJ)",
                "fees received (rUSD)",
                "fees to reserve (rUSD)",
                "rewards paid (rUSD)",
                "credit held (rUSD)"
            ],
            ["400.00", "25.46", "0.00", "25.46", "0.00"],
        ]
    );

    // The newcomer's short trial line, backed by two underwriters, spent and not repaid.
    let trial = tables_of(text, "Underwriting step 2 of 6: ");
    assert_eq!(
        trial[0][4][..8],
        ["4", "Hilltop Food Truck", "300.00", "20 s", "30.00", "30.00", "2", "approved"],
        "{text}"
    );
    let spent = tables_of(text, "Underwriting step 3 of 6: ");
    assert_eq!(spent[0][1], ["Hilltop Food Truck", "-252.50", "300.00", "47.50", "active", "0.00"], "{text}");
    assert!(text.contains("minted 252.50 · burned 60.00 · fees 2.50 · total supply 457.50 rUSD"), "{text}");

    // Its credit period ends without income: frozen in its grace, a payment on credit is refused.
    let frozen = tables_of(text, "Underwriting step 4 of 6: ");
    assert_eq!(frozen[0][1], ["Hilltop Food Truck", "-252.50", "300.00", "0.00", "frozen in grace", "0.00"], "{text}");
    assert!(
        flat_text.contains(
            "Hilltop Food Truck tries to pay Riverside Grocery 60.00 rUSD on credit: the token refuses it, its credit \
             frozen until it earns 84.166667 rUSD more (income of at least 50.00 % of what it owes)"
        ),
        "{text}"
    );

    // The default: who lost what. Both columns sum to zero.
    let default = tables_of(text, "Underwriting step 5 of 6: ");
    let expected = [
        ["who", "stake (INJ)", "credit (rUSD)", "what happened"],
        ["Mountain Credit Union", "0.00", "", "did not back it"],
        ["Blue Ridge Angels", "-12.625", "", "backed 15.00, 2.375 released"],
        ["Asheville Community Fund", "-12.625", "", "backed 15.00, 2.375 released"],
        ["Network reserve", "+25.25", "", "receives the slashed stake"],
        ["Loss account", "", "-252.50", "takes the debt"],
        ["Hilltop Food Truck", "", "+252.50", "its debt is written off and its line closed"],
    ];
    assert_eq!(default[0], expected, "{text}");
    assert_eq!(
        default[1][1..],
        [
            ["Mountain Credit Union", "140.00", "160.00", "0.00", "0.00", "160.00", "0.00"],
            ["Blue Ridge Angels", "167.375", "120.00", "0.00", "12.625", "120.00", "0.00"],
            ["Asheville Community Fund", "167.375", "120.00", "0.00", "12.625", "120.00", "0.00"],
        ],
        "{text}"
    );
    assert_eq!(
        default[2][1..],
        [
            ["Hilltop Food Truck", "0.00", "0.00", "0.00", "defaulted", "252.50"],
            ["Loss account", "-252.50", "no line", "0.00", "", "0.00"],
        ],
        "{text}"
    );
    assert!(flat_text.contains("Hilltop Food Truck defaulted on 252.50 rUSD, worth 25.25 INJ at 0.10 INJ per rUSD"));

    // The truck's fee becomes rewards too, by the exposure left (160 : 120 : 120).
    let later = tables_of(text, "Underwriting step 6 of 6: ");
    assert_eq!(later[0][1], ["400.00", "27.96", "0.00", "25.46", "2.50"], "{text}");
    let claimable: Vec<&str> = later[1][1..].iter().map(|row| row[6]).collect();
    assert_eq!(claimable, ["1.00", "0.75", "0.75"], "{text}");

    // A newcomer proves its marketplace rating in zero knowledge and is granted a line.
    assert!(text.contains("DID registry: "), "{text}");
    assert!(!text.to_lowercase().contains("credential verifier"), "the DID registry verifies proofs itself: {text}");
    let deployed = flat(&text[text.find("Credential step 1 of 3: ").expect("the credential part")..]);
    assert!(
        deployed.contains(
            "the operator registers the Marketplace ratings oracle (did:web:ratings.marketplace.example) as an \
             attester of platform ratings"
        ),
        "{text}"
    );
    let proved = tables_of(text, "Credential step 2 of 3: ");
    assert_eq!(
        proved[0],
        [
            ["member", "claim", "type", "proves", "attester", "status"],
            [
                "Laurel Cafe",
                "1",
                "platform_rating",
                "rating >= 4.5 stars over >= 100 reviews",
                "did:web:ratings.marketplace.example",
                "valid"
            ],
        ],
        "{text}"
    );
    let page =
        flat(&text[text.find("Credential step 2 of 3: ").unwrap()..text.find("Credential step 3 of 3: ").unwrap()]);
    assert!(page.contains("a commitment to 4.7 stars over 132 reviews, signed off chain"), "{page}");
    assert!(page.contains("Laurel Cafe proves rating >= 4.5 stars over >= 100 reviews for 90 d in zero knowledge: a 192-byte Groth16 proof"), "{page}");
    assert!(page.contains("the DID registry checks the oracle's signature and the proof"), "{page}");
    assert!(page.contains("records claim 1 on Laurel Cafe's DID"), "{page}");
    let applied = tables_of(text, "Credential step 3 of 3: ");
    assert_eq!(
        applied[0][1][..8],
        ["5", "Laurel Cafe", "475.00", "365 d", "47.50", "47.50", "2", "approved"],
        "{text}"
    );
    assert_eq!(applied[1][1], ["Laurel Cafe", "0.00", "475.00", "475.00", "active", "0.00"], "{text}");
    let page = flat(&text[text.find("Credential step 3 of 3: ").unwrap()..text.find("Summary:").unwrap()]);
    assert!(
        page.contains("without a verified claim the scoring function would suggest Laurel Cafe a limit of 100.00 rUSD (base +100.00 rUSD)"),
        "{page}"
    );
    assert!(
        page.contains(
            "Laurel Cafe applies for a 475.00 rUSD credit line for 365 d citing claim 1: application 5; the scoring \
             function suggests 475.00 rUSD (base +100.00 rUSD, rating 4.5 stars over 100 reviews +375.00 rUSD)"
        ),
        "{page}"
    );
    assert!(
        page.contains("application 5 is approved and the credit token opens Laurel Cafe's 475.00 rUSD line"),
        "{page}"
    );

    // The meta-network: the bakery pays a Nairobi cooperative 25.00 rUSD (plus the 1 % fee) over IBC.
    let page = flat(&text[text.find("Meta-network: ").expect("the meta-network page")..text.find("Summary:").unwrap()]);
    assert!(page.contains("Blue Ridge Bakery pays the cooperative 25.00 rUSD"), "{page}");
    assert!(
        page.contains("Nairobi's bridge pays 3,225.00 rKES from its own credit line at 129 rKES per rUSD"),
        "{page}"
    );
    assert!(page.contains("(payment 1 delivered)"), "{page}");
    let table = &tables_of(text, "Meta-network: ")[0];
    assert_eq!(table[2], ["balance before -> after", "92.00 -> 66.75", "0 -> 3,225.00 rKES"], "{text}");
    assert_eq!(table[3], ["bridge balance", "25.00", "-3,225.00 rKES"], "{text}");
    assert_eq!(table[4], ["channel position", "owes 25.00 rUSD to Nairobi", "is owed 3,225.00 rKES"], "{text}");

    let summary = flat(&text[text.find("Summary:").expect("a summary")..]);
    assert!(summary.contains("1,874.00 rUSD was created"), "{summary}");
    assert!(summary.contains("1,416.50 rUSD destroyed"), "{summary}");
    assert!(summary.contains("457.50 rUSD is in circulation"), "{summary}");
    assert!(
        summary.contains(
            "held by Blue Ridge Bakery 66.75, Mara 147.50, Jon 0.04, Riverside Grocery 190.00, Mountain Credit Union \
             10.184, Blue Ridge Angels 7.638, Asheville Community Fund 7.638, underwriting contract 2.75, Asheville's \
             meta-bridge 25.00"
        ),
        "{summary}"
    );
    assert!(summary.contains("(by Mountain Clinic 205.00, Loss account 252.50)"), "{summary}");
    assert!(
        summary.contains(
            "3 underwriters staked 900.00 INJ; their backing approved 5 credit lines of 4,775.00 rUSD in all. The \
             28.21 rUSD of network fees became rewards: 25.46 paid out, 2.50 still to claim. Hilltop Food Truck \
             defaulted on 252.50 rUSD: its backers lost 25.25 INJ to the reserve and the loss account took the debt."
        ),
        "{summary}"
    );
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
    assert!(
        summary.contains(
            "Credentials: Laurel Cafe proved rating >= 4.5 stars over >= 100 reviews without revealing its rating; \
             the recorded claim raised its suggested limit from 100.00 to 475.00 rUSD, and its 475.00 rUSD line opened."
        ),
        "{summary}"
    );
    assert!(summary.contains("the signed balances sum to 0"), "{summary}");
    assert!(summary.contains("staked = free + locked + unbonding + slashed"), "{summary}");
    assert!(summary.contains("rewards paid plus fees sent to the reserve stay within the fees received"));
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
    assert_one_line_error(
        &demo(&artifacts),
        "underwriting.wasm; build it with `cargo xtask wasm -p resource-underwriting`",
    );
    std::fs::write(artifacts.join("underwriting.wasm"), b"\0asm").unwrap();
    assert_one_line_error(&demo(&artifacts), "clearing.wasm; build it with `cargo xtask wasm -p resource-clearing`");
    std::fs::write(artifacts.join("clearing.wasm"), b"\0asm").unwrap();
    assert_one_line_error(
        &demo(&artifacts),
        "did_registry.wasm; build it with `cargo xtask wasm -p resource-did-registry`",
    );
    std::fs::write(artifacts.join("did_registry.wasm"), b"\0asm").unwrap();
    assert_one_line_error(
        &demo(&artifacts),
        "meta_bridge.wasm; build it with `cargo xtask wasm -p resource-meta-bridge`",
    );
    std::fs::write(artifacts.join("meta_bridge.wasm"), b"\0asm").unwrap();
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
    // The bridge commands, with no devnet, and with a missing required argument.
    let output = run(&mut resource(&["bridge", "status", "--bridge", "inj1x", "--home", home]));
    assert_one_line_error(&output, "no devnet is running");
    let pay = ["bridge", "pay", "--bridge", "inj1x", "--to", "inj1y", "--amount", "1.5", "--chain-id", "resource-2"];
    let output = run(&mut resource(&[&pay[..], &["--home", home]].concat()));
    assert_one_line_error(&output, "no devnet is running");
    let output = run(&mut resource(&["bridge", "pay", "--bridge", "inj1x", "--amount", "1", "--home", home]));
    assert!(!output.status.success() && stderr(&output).contains("--to"), "{}", stderr(&output));
    // A malformed DID is answered locally (W3C invalidDid on stdout, one error line, exit 1).
    let output = run(&mut resource(&["did", "resolve", "did:resource:", "--registry", "inj1x", "--home", home]));
    assert_one_line_error(&output, "did not resolve: invalidDid");
    let shown: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(shown["didResolutionMetadata"]["error"], "invalidDid");
}

// ---------------------------------------------------------------------------------------------
// zero-knowledge credentials, offline

const MEMBER_DID: &str = "did:resource:resource-1:inj1l67pxmnuaqyeefqp5d3hecf0sjgq79tcyqkws7";
const RATINGS_ORACLE: &str = "did:web:ratings.example";

fn sha256_hex(path: &Path) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(path).unwrap()))
}

#[test]
fn zk_setup_writes_reproducible_keys_with_checksums_and_says_they_are_for_devnets_only() {
    let dir = scratch("zk-setup");
    let out = dir.join("keys");
    let setup = json_of(run(&mut resource(&[
        "zk",
        "setup",
        "--out",
        out.to_str().unwrap(),
        "--kind",
        "tenure",
        "--kind",
        "rating",
        "--json",
    ])));
    assert_eq!(setup["devnet_seed"], true, "{setup}");
    let warning = setup["warning"].as_str().unwrap();
    assert!(warning.contains("devnets and tests only") && warning.contains("ceremony"), "{warning}");
    let kinds = setup["kinds"].as_array().unwrap();
    assert_eq!(kinds.iter().map(|k| k["kind"].as_str().unwrap()).collect::<Vec<_>>(), ["tenure", "rating"]);
    let sums = std::fs::read_to_string(out.join("checksums.txt")).unwrap();
    for k in kinds {
        let kind = k["kind"].as_str().unwrap();
        let expected = resource_zk::constraint_count(resource_zk::ClaimKind::from_name(kind).unwrap());
        assert_eq!(k["constraints"].as_u64(), Some(expected as u64), "{k}");
        for (ext, field) in [("pk", "proving_key_sha256"), ("vk", "verifying_key_sha256")] {
            let file = out.join(format!("{kind}.{ext}"));
            assert_eq!(k[field].as_str().unwrap(), sha256_hex(&file), "{kind}.{ext}");
            assert!(sums.contains(&format!("{}  {kind}.{ext}\n", sha256_hex(&file))), "{sums}");
        }
        assert!(k["setup_ms"].as_u64().is_some(), "{k}");
    }
    assert!(!out.join("revenue.pk").exists());

    // The default folder is zk-keys in the devnet folder; the same seed gives the same keys, and the
    // table says what they are for.
    let home = dir.join("home");
    let text =
        succeeded(resource(&["zk", "setup", "--kind", "tenure", "--home", home.to_str().unwrap()]).output().unwrap());
    assert_eq!(sha256_hex(&home.join("zk-keys/tenure.vk")), sha256_hex(&out.join("tenure.vk")));
    let rows = table_after(&text, "Wrote the keys of 1 circuit to");
    assert_eq!(rows[0], ["kind", "constraints", "pk bytes", "vk bytes", "vk sha256", "setup"]);
    assert_eq!(rows[1][..4], ["tenure", "794", "483,148", "440"], "{text}");
    assert_eq!(rows[1][4], sha256_hex(&out.join("tenure.vk")));
    assert!(
        flat(&text)
            .contains("for devnets and tests only. A production network needs keys from a trusted-setup ceremony"),
        "{text}"
    );
    let other = json_of(run(&mut resource(&[
        "zk",
        "setup",
        "--out",
        dir.join("other").to_str().unwrap(),
        "--kind",
        "tenure",
        "--seed",
        "another seed",
        "--json",
    ])));
    assert_eq!(other["devnet_seed"], false);
    assert_ne!(other["kinds"][0]["verifying_key_sha256"], setup["kinds"][0]["verifying_key_sha256"]);
    assert!(other["warning"].as_str().unwrap().contains("the seed you gave"));
    let help = flat(&succeeded(resource(&["zk", "setup", "--help"]).output().unwrap()));
    assert!(help.contains("FOR DEVNETS AND TESTS ONLY") && help.contains("trusted-setup ceremony"), "{help}");
    assert_one_line_error(
        &run(&mut resource(&["zk", "setup", "--kind", "stars"])),
        "invalid value 'stars' for '--kind <KIND>'; use one of rating, revenue, tenure",
    );
}

#[test]
fn credentials_are_issued_and_proven_offline_and_every_mistake_is_one_line() {
    let dir = scratch("credential-offline");
    let keys = dir.join("keys");
    let d = |name: &str| dir.join(name).to_str().unwrap().to_string();
    succeeded(resource(&["zk", "setup", "--out", keys.to_str().unwrap(), "--kind", "rating"]).output().unwrap());

    // The attester's key: a secret file, and the public key the registry takes.
    let key = json_of(run(&mut resource(&["credential", "keygen", "--out", &d("oracle.key"), "--json"])));
    assert_eq!(key["scheme"], "ed25519");
    assert!(key["public_key"]["publicKeyMultibase"].as_str().unwrap().starts_with("z6Mk"), "{key}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("oracle.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_one_line_error(
        &run(&mut resource(&["credential", "keygen", "--out", &d("oracle.key")])),
        "already exists; pass --force to replace it",
    );
    let text = succeeded(
        resource(&["credential", "keygen", "--scheme", "secp256k1", "--out", &d("k1.key")]).output().unwrap(),
    );
    assert!(text.contains("Public key (Multikey): zQ3s"), "{text}");
    assert!(text.contains("resource credential register-attester"), "{text}");

    // The attester issues a rating credential: 4.7 stars over 132 reviews.
    let issue = |extra: &[&str]| {
        let mut args = vec!["credential", "issue", "--attester", RATINGS_ORACLE, "--subject", MEMBER_DID];
        args.extend_from_slice(extra);
        run(&mut resource(&args))
    };
    let oracle = d("oracle.key");
    let credential = d("bakery.credential");
    let text = succeeded(issue(&[
        "--key",
        &oracle,
        "--kind",
        "rating",
        "--value",
        "4.7",
        "--value",
        "132",
        "--out",
        &credential,
    ]));
    let rows = table_after(&text, "Issued a rating credential");
    assert!(rows.contains(&vec!["values", "4.7 stars over 132 reviews"]), "{text}");
    assert!(rows.contains(&vec!["subject", MEMBER_DID]), "{text}");
    let issued: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&credential).unwrap()).unwrap();
    assert_eq!(issued["values"], serde_json::json!([47, 132]));
    let year = issued["expiresAt"].as_u64().unwrap() - issued["issuedAt"].as_u64().unwrap();
    assert_eq!(year, 365 * 86_400, "a year by default");

    // The member proves rating >= 4.5 over >= 100 reviews: the proof verifies, natively and with
    // the verifying key alone, and carries no value.
    let prove = |file: &str, extra: &[&str]| {
        let mut args = vec!["credential", "prove", "--credential", file, "--keys", keys.to_str().unwrap()];
        args.extend_from_slice(extra);
        run(&mut resource(&args))
    };
    let proof = d("bakery.proof");
    let proved = json_of(prove(&credential, &["--threshold", "4.5", "--threshold", "100", "--out", &proof, "--json"]));
    assert_eq!(proved["verified_natively"], true, "{proved}");
    assert_eq!(proved["predicate"], "rating>=45;reviews>=100");
    assert_eq!(proved["statement"], "rating >= 4.5 stars over >= 100 reviews");
    assert!(proved["prove_ms"].as_f64().unwrap() > 0.0);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let valid_until = proved["valid_until"].as_u64().unwrap();
    assert!((now + 89 * 86_400..=now + 90 * 86_400 + 60).contains(&valid_until), "90 days by default: {proved}");
    let proof_json = std::fs::read_to_string(&proof).unwrap();
    assert!(!proof_json.contains("\"values\"") && !proof_json.contains("salt"), "{proof_json}");
    resource_zk::verify_json(&proof_json, &std::fs::read(keys.join("rating.vk")).unwrap()).expect("the proof verifies");
    let text = succeeded(prove(
        &credential,
        &["--threshold", "4.5", "--threshold", "100", "--valid-for", "7d", "--out", &proof],
    ));
    assert!(
        text.starts_with(&format!("Proved rating >= 4.5 stars over >= 100 reviews about {MEMBER_DID} until ")),
        "{text}"
    );
    assert!(text.contains(" s; it verifies against "), "{text}");

    // The member's mistakes.
    assert_one_line_error(
        &prove(&credential, &["--threshold", "4.8", "--threshold", "100", "--out", &proof]),
        "the credential's rating does not reach 4.8 stars: no proof exists for this statement",
    );
    assert_one_line_error(
        &prove(&credential, &["--threshold", "4.5", "--threshold", "133", "--out", &proof]),
        "the credential's reviews does not reach 133 reviews: no proof exists",
    );
    assert_one_line_error(
        &prove(&credential, &["--threshold", "4.5", "--out", &proof]),
        "a rating proof takes 2 thresholds: the least rating in stars and the least number of reviews (e.g. \
         --threshold 4.5 --threshold 100); 1 given",
    );
    assert_one_line_error(
        &prove(&credential, &["--threshold", "4.5", "--threshold", "100", "--valid-for", "400d", "--out", &proof]),
        "before the claim's end",
    );
    assert_one_line_error(
        &prove(
            &credential,
            &["--threshold", "4.5", "--threshold", "100", "--valid-until", "2020-01-01", "--out", &proof],
        ),
        "is 2020-01-01 00:00:00 UTC, not in the future",
    );
    let no_keys = run(&mut resource(&[
        "credential",
        "prove",
        "--credential",
        &credential,
        "--threshold",
        "4.5",
        "--threshold",
        "100",
        "--keys",
        &d("nowhere"),
        "--out",
        &proof,
    ]));
    assert_one_line_error(&no_keys, "no proving key for rating credentials at ");
    assert!(stderr(&no_keys).contains("run `resource zk setup`"));
    assert_one_line_error(
        &prove(&d("none.credential"), &["--threshold", "4.5", "--threshold", "1", "--out", &proof]),
        "cannot read the credential",
    );
    // A credential altered after issuing (a better rating; another member's DID) has no proof.
    for (field, value) in [
        ("values", serde_json::json!([50, 132])),
        ("subject", serde_json::json!("did:resource:resource-1:inj1someoneelse")),
    ] {
        let mut altered = issued.clone();
        altered[field] = value;
        let file = d("altered.credential");
        std::fs::write(&file, altered.to_string()).unwrap();
        assert_one_line_error(
            &prove(&file, &["--threshold", "4.5", "--threshold", "100", "--out", &proof]),
            "the credential's commitment does not match its contents: it was altered after issuing",
        );
    }

    // The attester's mistakes.
    assert_one_line_error(
        &issue(&["--key", &oracle, "--kind", "stars", "--value", "4", "--out", &d("x")]),
        "invalid value 'stars' for '--kind <KIND>'; use one of rating, revenue, tenure",
    );
    assert_one_line_error(
        &issue(&["--key", &oracle, "--kind", "rating", "--value", "4.7", "--out", &d("x")]),
        "a rating credential takes 2 values: the rating in stars and the number of reviews (e.g. --value 4.7 \
         --value 132); 1 given",
    );
    assert_one_line_error(
        &issue(&["--key", &oracle, "--kind", "rating", "--value", "47", "--value", "132", "--out", &d("x")]),
        "`47` is not a rating: write stars from 0 to 5 with at most one decimal",
    );
    assert_one_line_error(
        &issue(&["--key", &oracle, "--kind", "tenure", "--value", "5000", "--out", &d("x")]),
        "months 5000 is above 4095",
    );
    assert_one_line_error(
        &issue(&["--key", &d("none.key"), "--kind", "tenure", "--value", "30", "--out", &d("x")]),
        "cannot read the attester key",
    );
    assert_one_line_error(
        &issue(&[
            "--key",
            &oracle,
            "--kind",
            "tenure",
            "--value",
            "30",
            "--expires-at",
            "2020-01-01",
            "--out",
            &d("x"),
        ]),
        "--expires-at is 2020-01-01 00:00:00 UTC, not in the future",
    );
    assert_one_line_error(
        &issue(&["--key", &oracle, "--kind", "tenure", "--value", "30", "--valid-for", "1w", "--out", &d("x")]),
        "`1w` is not a span of time",
    );
    assert_one_line_error(
        &run(&mut resource(&[
            "credential",
            "issue",
            "--key",
            &oracle,
            "--attester",
            RATINGS_ORACLE,
            "--subject",
            "did:resource:x",
            "--kind",
            "tenure",
            "--value",
            "30",
            "--out",
            &d("x"),
        ])),
        "`did:resource:x` is not a DID",
    );
    let no_devnet = run(&mut resource(&[
        "credential",
        "issue",
        "--key",
        &oracle,
        "--attester",
        RATINGS_ORACLE,
        "--subject",
        "alice",
        "--kind",
        "tenure",
        "--value",
        "30",
        "--out",
        &d("x"),
        "--home",
        &d("no-devnet"),
    ]));
    assert_one_line_error(
        &no_devnet,
        "`alice` stands for the test account's DID on the running devnet, but no devnet is running",
    );

    // An expired credential: issued for a second, proven after it.
    let short = d("short.credential");
    succeeded(issue(&[
        "--key",
        &oracle,
        "--kind",
        "rating",
        "--value",
        "4.7",
        "--value",
        "132",
        "--valid-for",
        "1s",
        "--out",
        &short,
    ]));
    std::thread::sleep(Duration::from_millis(2_100));
    assert_one_line_error(
        &prove(&short, &["--threshold", "4.5", "--threshold", "100", "--out", &proof]),
        "the credential expired on ",
    );
}

// ---------------------------------------------------------------------------------------------
// underwriting

/// The wasm artifacts `cargo xtask wasm` builds: `$RESOURCE_ARTIFACTS`, else the workspace's.
fn artifacts() -> PathBuf {
    let dir = std::env::var_os("RESOURCE_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../artifacts"));
    for name in ["credit_token.wasm", "underwriting.wasm", "clearing.wasm", "did_registry.wasm"] {
        assert!(
            dir.join(name).is_file(),
            "{} is missing: build the artifacts with `cargo xtask wasm` (or set RESOURCE_ARTIFACTS)",
            dir.join(name).display()
        );
    }
    dir
}

/// `resource underwriting <args> --home <home>`, run.
fn uw(home: &str, args: &[&str]) -> Output {
    let mut all = vec!["underwriting"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--home", home]);
    run(resource(&all).env_remove("RESOURCE_UNDERWRITING"))
}

fn succeeded(output: Output) -> String {
    assert!(output.status.success(), "failed: {}\n{}", stderr(&output), stdout(&output));
    stdout(&output)
}

fn json_of(output: Output) -> serde_json::Value {
    let text = succeeded(output);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("one JSON document expected ({e}):\n{text}"))
}

/// A credit-token payment on the devnet of `home`, through the Rust client (the CLI has no payment
/// command): how members spend their lines and pay the network's fee.
fn pay(home: &Path, from: &str, to: &str, amount: u128) {
    use resource_client::test_accounts::test_account;
    use resource_client::{ChainClient, ChainConfig, Gas, Wallet};
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.join("devnet.json")).unwrap()).unwrap();
    let config: ChainConfig = serde_json::from_value(state["chains"][0]["config"].clone()).unwrap();
    let deployment: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.join("deployment.json")).unwrap()).unwrap();
    let token = deployment["credit_token"].as_str().unwrap().to_string();
    let wallet = |name: &str| Wallet::from_mnemonic(test_account(name).unwrap().mnemonic, &config.prefix).unwrap();
    let (sender, recipient) = (wallet(from), wallet(to).address().to_string());
    let msg = resource_msgs::credit_token::ExecuteMsg::Transfer { recipient, amount: amount.into() };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let client = ChainClient::connect(config).await.unwrap();
        client.execute(&sender, &token, &msg, &[], Gas::Auto).await.unwrap();
    });
}

const INJ: u128 = 1_000_000_000_000_000_000;

#[test]
fn underwriting_commands_refuse_bad_input_before_touching_a_chain() {
    let dir = scratch("underwriting-bad");
    let home = dir.join("no-devnet");
    let home = home.to_str().unwrap();
    let output = uw(home, &["apply", "10", "--term", "1w"]);
    assert_one_line_error(&output, "`1w` is not a span of time; write seconds, or a number with s, m, h or d");
    assert_eq!(output.status.code(), Some(2));
    assert_one_line_error(&uw(home, &["back", "one", "5"]), "invalid value 'one'");
    assert_one_line_error(&uw(home, &["status", "--status", "pending"]), "invalid value 'pending'");
    assert_one_line_error(&uw(home, &["stake", "10"]), "no devnet is running");
    let output = uw(home, &["deploy", "--artifacts", dir.join("none").to_str().unwrap()]);
    assert_one_line_error(&output, "credit_token.wasm; build it with `cargo xtask wasm -p resource-credit-token`");
}

#[test]
fn underwriting_commands_on_a_devnet() {
    let artifacts = artifacts();
    let dir = scratch("underwriting");
    let home = dir.to_str().unwrap();
    let _guard = Devnet(&dir);
    let output = run(&mut resource(&["devnet", "up", "--port-offset", "1100", "--home", home]));
    assert!(output.status.success(), "devnet up failed: {}", stderr(&output));

    // Nothing deployed yet: the commands say how to get a contract.
    assert_one_line_error(&uw(home, &["status"]), "none is recorded in");
    assert!(stderr(&uw(home, &["status"])).contains("resource underwriting deploy"));

    let deployed = json_of(uw(
        home,
        &[
            "deploy",
            "--artifacts",
            artifacts.to_str().unwrap(),
            "--min-term",
            "10s",
            "--grace",
            "5s",
            "--unbonding-period",
            "5s",
            "--open-period",
            "40s",
            "--price",
            "0.1",
            "--json",
        ],
    ));
    let token = deployed["credit_token"].as_str().unwrap().to_string();
    let contract = deployed["underwriting"].as_str().unwrap().to_string();
    assert!(contract.starts_with("inj1") && token.starts_with("inj1") && contract != token, "{deployed}");
    // A contract that is not an underwriting contract is named as such.
    assert_one_line_error(&uw(home, &["status", "--contract", &token]), "does not answer as an underwriting contract");

    let status = succeeded(uw(home, &["status"]));
    let config = table_after(&status, "Underwriting contract ");
    assert_eq!(config[0], ["setting", "value"]);
    assert!(config.contains(&vec!["coverage", "backing of 100 % of each line, at 0.10 INJ per rUSD"]), "{status}");
    assert!(config.contains(&vec!["approval", "at least 2 underwriters, none above 50 % of the backing"]), "{status}");
    assert!(config.contains(&vec!["terms", "10 s to 365 d; applications stay open 40 s"]), "{status}");
    assert!(config.contains(&vec!["identities", "each address is its own party (no DID registry)"]), "{status}");
    assert!(status.contains("No applications."), "{status}");

    // Stake: a table, then JSON; bad amounts and accounts are refused before anything is signed.
    let staked = succeeded(uw(home, &["stake", "100", "--from", "bob"]));
    assert!(staked.starts_with("bob staked 100.00 INJ (tx "), "{staked}");
    assert_eq!(table_after(&staked, "bob staked")[1], ["bob", "100.00", "0.00", "0.00", "0.00", "0.00", "0.00"]);
    let staked = json_of(uw(home, &["stake", "100", "--from", "carol", "--json"]));
    assert_eq!(staked["staked"], (100 * INJ).to_string());
    assert_eq!(staked["underwriter"]["free"], (100 * INJ).to_string());
    assert!(staked["tx"]["gas_used"].as_u64().unwrap() > 0);
    assert_one_line_error(&uw(home, &["stake", "ten", "--from", "bob"]), "`ten` is not an amount of INJ");
    assert_one_line_error(&uw(home, &["stake", "0", "--from", "bob"]), "the amount must be above 0 INJ");
    assert_one_line_error(&uw(home, &["stake", "1", "--from", "mallory"]), "no test account `mallory`; use one of");

    // Apply (JSON and table), back, withdraw.
    let applied = json_of(uw(home, &["apply", "300", "--term", "20s", "--from", "alice", "--json"]));
    let id = applied["application"]["id"].as_u64().unwrap();
    assert_eq!(applied["application"]["status"], "open");
    assert_eq!(applied["application"]["required_backing"], (30 * INJ).to_string());
    assert!(applied["application"]["suggestion"]["limit"].as_str().is_some_and(|l| l != "0"), "{applied}");
    let other = succeeded(uw(home, &["apply", "100", "--term", "1d", "--from", "dave"]));
    assert!(other.contains("dave applied for 100.00 rUSD over 1 d: application 2"), "{other}");
    assert!(other.contains("it needs 10.00 INJ of backing from at least 2 underwriters"), "{other}");
    assert!(other.contains("The scoring function suggests a limit of "), "{other}");
    assert_one_line_error(
        &uw(home, &["expire", "2"]),
        "the underwriting contract refused Expire: the application is open until",
    );
    // Claims need the DID registry, which this deployment has none of.
    assert_one_line_error(
        &uw(home, &["apply", "100", "--term", "1d", "--claim", "1", "--from", "frank"]),
        "the underwriting contract refused Apply: claims need the DID registry, and none is configured",
    );
    let backed = succeeded(uw(home, &["back", "2", "5", "--from", "bob"]));
    assert!(backed.contains("not approved yet: 5.00 INJ of the 10.00 INJ required (5.00 INJ more)"), "{backed}");
    let withdrawn = succeeded(uw(home, &["withdraw", "2", "5", "--from", "bob"]));
    assert!(withdrawn.contains("bob withdrew backing from application 2"), "{withdrawn}");
    assert_eq!(table_after(&withdrawn, "bob withdrew")[1][4], "0.00", "{withdrawn}");

    // Bad input on the chain: a clear line each.
    assert_one_line_error(
        &uw(home, &["back", "99", "15", "--from", "bob"]),
        &format!("application 99 does not exist on {contract}; `resource underwriting status` lists the applications"),
    );
    assert_one_line_error(
        &uw(home, &["back", &id.to_string(), "500", "--from", "bob"]),
        "bob has only 100.00 INJ of free stake, not 500.00 INJ; stake more with `resource underwriting stake`",
    );
    // The contract's own refusals come through whole: backing one's own application.
    succeeded(uw(home, &["stake", "1", "--from", "dave"]));
    assert_one_line_error(
        &uw(home, &["back", "2", "1", "--from", "dave"]),
        "the underwriting contract refused Back: an underwriter cannot back its own application",
    );
    assert_one_line_error(
        &uw(home, &["settle", "2"]),
        "application 2 is open, not approved: there is nothing to settle",
    );

    let backed = succeeded(uw(home, &["back", &id.to_string(), "15", "--from", "bob"]));
    assert!(backed.contains("1 of at least 2 underwriters"), "{backed}");
    let approved = json_of(uw(home, &["back", &id.to_string(), "15", "--from", "carol", "--json"]));
    assert_eq!(approved["approved"], true);
    assert_eq!(approved["application"]["status"], "approved");
    // Too early to settle; `--wait` is offered.
    assert_one_line_error(&uw(home, &["settle", &id.to_string()]), "`--wait` waits for that");
    // Alice spends her line while its term runs (1 % fee).
    pay(&dir, "alice", "dave", 200_000_000);

    // Alice, in good standing while her term runs, vouches for erin, who applies citing her; the
    // vouch is in use until erin withdraws her application.
    let vouched = succeeded(uw(home, &["vouch", "erin", "50", "--from", "alice"]));
    assert!(
        vouched.contains("alice vouches for erin: 50.00 rUSD of its line is reserved, 48.00 rUSD is still available"),
        "{vouched}"
    );
    assert_eq!(table_after(&vouched, "alice vouches")[1], ["alice", "erin", "50.00", "active", "", "0.00"]);
    let cited = json_of(uw(home, &["apply", "60", "--term", "1d", "--voucher", "alice", "--from", "erin", "--json"]));
    let erin_app = cited["application"]["id"].as_u64().unwrap();
    assert_eq!(cited["application"]["vouchers"].as_array().map(Vec::len), Some(1), "{cited}");
    let erin = succeeded(uw(home, &["status", "--address", "erin", "--status", "open"]));
    let member = table_after(&erin, "Member erin");
    assert_eq!(member[1][..3], [erin_app.to_string().as_str(), "open", "60.00"], "{erin}");
    assert_eq!(member[1][5], "50.00", "{erin}");
    let row = &table_after(&erin, "Vouches for erin")[1];
    assert_eq!(row[..5], ["alice", "erin", "50.00", "active", erin_app.to_string().as_str()], "{erin}");
    assert_one_line_error(
        &uw(home, &["cancel-vouch", "erin", "--from", "alice"]),
        "the underwriting contract refused CancelVouch: ",
    );
    let rejected = succeeded(uw(home, &["reject", &erin_app.to_string(), "--from", "erin"]));
    assert!(rejected.contains(&format!("application {erin_app} rejected")), "{rejected}");
    let cancelled = json_of(uw(home, &["cancel-vouch", "erin", "--from", "alice", "--json"]));
    assert_eq!(cancelled["vouch"]["status"], "cancelled");
    assert_eq!(cancelled["voucher_account"]["reserved"], "0");

    // The scoring function, asked "what if": the core's own formula with the token's unit.
    use resource_core::underwriting::{suggested_limit, ScoringInputs, ScoringParams};
    let claim = ("platform_rating", "rating>=45;reviews>=100");
    let inputs = ScoringInputs::from_predicates([claim], resource_core::did::ReputationSummary::default());
    let expected = suggested_limit(&inputs, &ScoringParams::with_unit(1_000_000));
    let suggested = json_of(uw(home, &["suggest", "--claim", "platform_rating:rating>=45;reviews>=100", "--json"]));
    assert_eq!(suggested["suggestion"]["limit"], expected.limit.to_string(), "{suggested}");
    assert_eq!(suggested["suggestion"]["reasons"].as_array().map(Vec::len), Some(expected.reasons.len()));
    let suggested = succeeded(uw(home, &["suggest", "--claim", "platform_rating:rating>=45;reviews>=100"]));
    assert!(suggested.contains("rating 4.5 stars over 100 reviews +"), "{suggested}");
    assert_one_line_error(
        &uw(home, &["suggest", "--claim", "five stars"]),
        "`five stars` is not a claim; write TYPE:PREDICATE",
    );

    // Fees become rewards only after distribute-fees.
    assert_one_line_error(
        &uw(home, &["claim-rewards", "--from", "bob"]),
        "fees become rewards only after `resource underwriting distribute-fees`",
    );
    let distributed = succeeded(uw(home, &["distribute-fees"]));
    assert!(distributed.contains("2.00 rUSD of new fees: 2.00 rUSD became rewards by exposure"), "{distributed}");
    assert_eq!(table_after(&distributed, "2.00 rUSD of new fees")[1], ["30.00", "2.00", "0.00", "0.00", "2.00"]);
    // Half the fee each, less the pool's rounding: the reward per staked base unit is kept to
    // REWARD_SCALE, and INJ has 18 decimals; the dust stays in the pool.
    let claimed = json_of(uw(home, &["claim-rewards", "--from", "bob", "--json"]));
    assert_eq!(claimed["claimed"], "999990");
    let carol = succeeded(uw(home, &["status", "--address", "carol", "--status", "approved"]));
    assert!(carol.contains("Underwriter carol (inj1"), "{carol}");
    assert_eq!(
        table_after(&carol, "Underwriter carol")[1],
        ["carol", "85.00", "15.00", "0.00", "0.00", "15.00", "0.99999"]
    );
    let row = &table_after(&carol, "Applications approved:")[1];
    assert_eq!(row[..8], ["1", "alice", "300.00", "20 s", "30.00", "30.00", "2", "approved"], "{carol}");

    // The term and the grace period pass with alice in debt: a default, the backers slashed.
    let settled = succeeded(uw(home, &["settle", &id.to_string(), "--wait"]));
    assert!(
        flat(&settled).contains(&format!(
            "application {id} defaulted: alice owed 202.00 rUSD; the token declared the default (its loss account \
             takes the debt) and the backers lost 20.20 INJ of stake to the reserve"
        )),
        "{settled}"
    );
    let losses = table_after(&settled, &format!("application {id} defaulted"));
    assert_eq!(
        losses,
        [
            ["backer", "backing", "slashed", "released"],
            ["bob", "15.00 INJ", "10.10 INJ", "4.90 INJ"],
            ["carol", "15.00 INJ", "10.10 INJ", "4.90 INJ"],
        ]
    );
    let status = json_of(uw(home, &["status", "--address", "bob", "--status", "defaulted", "--json"]));
    assert_eq!(status["underwriter"]["slashed"], "10100000000000000000");
    assert_eq!(status["underwriter"]["free"], "89900000000000000000");
    assert_eq!(status["pool"]["rewards_paid"], "999990");
    assert_eq!(status["applications"][0]["status"], "defaulted");
    assert_eq!(status["applications"][0]["applications"][0]["id"], id);

    // Unbond, claim too early, then wait for the release.
    let unbonding = json_of(uw(home, &["unbond", "50", "--from", "bob", "--json"]));
    assert!(unbonding["release_at"].as_u64().unwrap() > 0);
    assert_eq!(unbonding["underwriter"]["unbonding"][0]["amount"], (50 * INJ).to_string());
    assert_one_line_error(&uw(home, &["claim", "--from", "bob"]), "`--wait` waits for the next release");
    let claimed = succeeded(uw(home, &["claim", "--from", "bob", "--wait"]));
    assert!(claimed.starts_with("bob claimed 50.00 INJ of released stake back"), "{claimed}");
    assert_eq!(table_after(&claimed, "bob claimed")[1][1..4], ["39.90", "0.00", "0.00"]);
    assert_one_line_error(&uw(home, &["claim", "--from", "bob", "--wait"]), "bob has nothing unbonding");

    // Pagination: one open application per page.
    let page = succeeded(uw(home, &["status", "--status", "open", "--limit", "1"]));
    assert!(page.contains("more open applications: add `--status open --start-after 2`"), "{page}");
    let next = succeeded(uw(home, &["status", "--status", "open", "--start-after", "2"]));
    assert!(next.contains("No open applications."), "{next}");

    // Dave's application was never fully backed: once its open period is over, anyone expires it.
    let open = json_of(uw(home, &["status", "--status", "open", "--json"]));
    let expires_at = open["applications"][0]["applications"][0]["expires_at"].as_u64().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    std::thread::sleep(Duration::from_secs((expires_at + 3).saturating_sub(now)));
    let expired = succeeded(uw(home, &["expire", "2"]));
    assert!(expired.contains("application 2 expired: every backing is released"), "{expired}");
    assert_eq!(table_after(&expired, "application 2 expired")[1][7], "expired", "{expired}");
}

/// Addresses, gas figures and the times left in a term differ between two runs of the demo; the
/// rest of the story does not.
fn comparable(text: &str) -> Vec<String> {
    // Border lines take the width of the widest cell, addresses included.
    let border = |line: &str| line.starts_with(['┌', '└', '╞', '├']);
    text.lines()
        .filter(|line| {
            !line.starts_with("The contracts stay on the devnet")
                && !line.starts_with("The report, with its charts, is in ")
                && !border(line)
        })
        .map(|line| {
            let mut line = line.to_string();
            while let Some(at) = line.find(" (gas used: ") {
                let end = line[at..].find(')').map_or(line.len(), |e| at + e + 1);
                line.replace_range(at..end, "");
            }
            let words: Vec<String> = line
                .split(' ')
                .map(|w| if w.starts_with("inj1") || w.starts_with("cosmwasm1") { "ADDRESS".into() } else { w.into() })
                .collect();
            let line = words.join(" ");
            // The "until" cells of the applications tables count down from now.
            match line.find("term ends in") {
                Some(at) => line[..at].to_string(),
                None => line,
            }
        })
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect()
}

#[test]
fn demo_on_the_devnet_tells_the_story_of_the_embedded_chain() {
    let artifacts = artifacts();
    let dir = scratch("demo-devnet");
    let home = dir.to_str().unwrap();
    let _guard = Devnet(&dir);
    // Two chains: the meta-network step pays across them, relayed by Hermes (xtask's cli suite
    // installs it and names it in RESOURCE_HERMES).
    let output = run(&mut resource(&["devnet", "up", "--chains", "2", "--port-offset", "850", "--home", home]));
    assert!(output.status.success(), "devnet up failed: {}", stderr(&output));
    let report = dir.join("report.html");
    let devnet = run(&mut resource(&[
        "demo",
        "--chain",
        "devnet",
        "--home",
        home,
        "--artifacts",
        artifacts.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]));
    assert!(devnet.status.success(), "demo on the devnet failed: {}", stderr(&devnet));
    let text = stdout(&devnet);
    check_demo_story(&text);
    // Progress on stderr, including the wait for the default.
    assert!(stderr(&devnet).contains("for Hilltop Food Truck's term and grace period to pass"), "{}", stderr(&devnet));
    assert!(stderr(&devnet).contains("Hermes relays the payment to Nairobi's chain"), "{}", stderr(&devnet));
    check_report(&report);
    let embedded = stdout(&run(&mut resource(&["demo", "--no-report"])));
    let (a, b) = (comparable(&embedded), comparable(&text));
    // The first lines name the chain; everything from the deployment on is the same story, the
    // payment to Nairobi's network on the second chain included.
    let start = |lines: &[String]| lines.iter().position(|l| l.starts_with("- the operator deploys")).unwrap();
    let (a, b) = (&a[start(&a)..], &b[start(&b)..]);
    if let Some((i, (x, y))) = a.iter().zip(b).enumerate().find(|(_, (x, y))| x != y) {
        panic!("line {i} of the story differs:\nembedded: {x}\ndevnet:   {y}\n{text}");
    }
    assert_eq!(a.len(), b.len(), "{text}");
    // The deployment stays on the devnet for the other commands.
    let status = succeeded(uw(home, &["status", "--status", "defaulted"]));
    let row = &table_after(&status, "Applications defaulted:")[1];
    assert_eq!((row[0], &row[2..8]), ("4", &["300.00", "20 s", "30.00", "30.00", "2", "defaulted"][..]), "{status}");
}

// ---------------------------------------------------------------------------------------------
// zero-knowledge credentials on a devnet

/// `resource credential <args> --home <home>`, run.
fn cred(home: &str, args: &[&str]) -> Output {
    let mut all = vec!["credential"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--home", home]);
    run(resource(&all).env_remove("RESOURCE_DID_REGISTRY"))
}

#[test]
fn credentials_on_a_devnet_an_attester_issues_a_member_proves_the_registry_records_underwriting_sees_it() {
    let artifacts = artifacts();
    let artifacts = artifacts.to_str().unwrap();
    let dir = scratch("credential-devnet");
    let home = dir.to_str().unwrap();
    let file = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let _guard = Devnet(&dir);
    let output = run(&mut resource(&["devnet", "up", "--port-offset", "1400", "--home", home]));
    assert!(output.status.success(), "devnet up failed: {}", stderr(&output));

    // Nothing deployed yet: the commands say how to get the contracts, and where the keys come from.
    assert_one_line_error(&cred(home, &["claims"]), "no DID registry given and none is recorded in");
    assert_one_line_error(
        &cred(home, &["deploy", "--artifacts", artifacts, "--kind", "rating"]),
        "run `resource zk setup` (or pass --keys DIR)",
    );
    succeeded(resource(&["zk", "setup", "--kind", "rating", "--home", home]).output().unwrap());
    let uw_deployed = json_of(uw(home, &["deploy", "--artifacts", artifacts, "--price", "0.1", "--json"]));
    let deployed = json_of(cred(home, &["deploy", "--artifacts", artifacts, "--kind", "rating", "--json"]));
    assert_eq!(deployed["underwriting"], uw_deployed["underwriting"], "{deployed}");
    assert_eq!(deployed["did_registry_new"], true);
    assert_eq!(deployed["verifying_keys"][0]["kind"], "rating");
    assert_eq!(deployed["verifying_keys"][0]["checksum"], sha256_hex(&dir.join("zk-keys/rating.vk")));
    let recorded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("deployment.json")).unwrap()).unwrap();
    assert_eq!(recorded["did_registry"], deployed["did_registry"]);
    assert_eq!(deployed["max_credential_validity"], 365 * 86_400, "{deployed}");

    // The attester: a key, registered by the registry's admin for ratings.
    let key = json_of(run(&mut resource(&["credential", "keygen", "--out", &file("oracle.key"), "--json"])));
    let registered = succeeded(cred(
        home,
        &[
            "register-attester",
            "--did",
            RATINGS_ORACLE,
            "--name",
            "Ratings oracle",
            "--key",
            &file("oracle.key"),
            "--kind",
            "rating",
        ],
    ));
    let attester = table_after(&registered, "Registered the attester");
    assert!(attester.contains(&vec!["claim types", "platform_rating"]), "{registered}");
    assert!(attester.contains(&vec!["public key", key["public_key"]["publicKeyMultibase"].as_str().unwrap()]));

    // The member registers its DID; the attester issues it a credential; the member proves.
    let created = succeeded(run(&mut resource(&["did", "create", "--from", "alice", "--home", home])));
    assert!(created.starts_with(&format!("alice registered {MEMBER_DID}: version 1")), "{created}");
    succeeded(cred(
        home,
        &[
            "issue",
            "--key",
            &file("oracle.key"),
            "--attester",
            RATINGS_ORACLE,
            "--subject",
            "alice",
            "--kind",
            "rating",
            "--value",
            "4.7",
            "--value",
            "132",
            "--out",
            &file("alice.credential"),
        ],
    ));
    let proved = succeeded(cred(
        home,
        &[
            "prove",
            "--credential",
            &file("alice.credential"),
            "--threshold",
            "4.5",
            "--threshold",
            "100",
            "--out",
            &file("alice.proof"),
        ],
    ));
    assert!(proved.contains("it verifies against"), "{proved}");

    // Submitted as the member: the registry checks it on chain and records the claim, as its verifier.
    let submitted = json_of(cred(home, &["submit", "--proof", &file("alice.proof"), "--json"]));
    assert_eq!(submitted["seq"], 1, "{submitted}");
    assert_eq!(submitted["did"], MEMBER_DID);
    assert_eq!(submitted["claim"]["claim"]["claim_type"], "platform_rating");
    assert_eq!(submitted["claim"]["claim"]["predicate"], "rating>=45;reviews>=100");
    assert_eq!(submitted["claim"]["claim"]["verifier"], deployed["did_registry"]);
    assert!(submitted["tx"]["gas_used"].as_u64().unwrap() > 0);
    // The same credential twice: one line, the contract's own words.
    assert_one_line_error(
        &cred(home, &["submit", "--proof", &file("alice.proof")]),
        "the DID registry refused the proof: this credential's nullifier was already used by",
    );
    let claims = succeeded(cred(home, &["claims"]));
    let rows = table_after(&claims, "Verified claims in the DID registry");
    assert_eq!(rows[0], ["member", "claim", "type", "proves", "attester", "until", "status"]);
    assert_eq!(
        rows[1][..5],
        ["alice", "1", "platform_rating", "rating >= 4.5 stars over >= 100 reviews", RATINGS_ORACLE]
    );
    assert_eq!(rows[1][6], "valid", "{claims}");

    // A member without a registered DID is told to register it; another member cannot use alice's DID.
    succeeded(cred(
        home,
        &[
            "issue",
            "--key",
            &file("oracle.key"),
            "--attester",
            RATINGS_ORACLE,
            "--subject",
            "bob",
            "--kind",
            "rating",
            "--value",
            "4.9",
            "--value",
            "300",
            "--out",
            &file("bob.credential"),
        ],
    ));
    succeeded(cred(
        home,
        &[
            "prove",
            "--credential",
            &file("bob.credential"),
            "--threshold",
            "4.5",
            "--threshold",
            "100",
            "--out",
            &file("bob.proof"),
        ],
    ));
    assert_one_line_error(
        &cred(home, &["submit", "--proof", &file("bob.proof")]),
        "is not registered in the DID registry: register it first with `resource did create --from bob`",
    );
    succeeded(cred(
        home,
        &[
            "issue",
            "--key",
            &file("oracle.key"),
            "--attester",
            RATINGS_ORACLE,
            "--subject",
            "alice",
            "--kind",
            "rating",
            "--value",
            "4.6",
            "--value",
            "110",
            "--out",
            &file("alice2.credential"),
        ],
    ));
    succeeded(cred(
        home,
        &[
            "prove",
            "--credential",
            &file("alice2.credential"),
            "--threshold",
            "4.5",
            "--threshold",
            "100",
            "--out",
            &file("alice2.proof"),
        ],
    ));
    let by_bob = cred(home, &["submit", "--proof", &file("alice2.proof"), "--from", "bob"]);
    assert_one_line_error(&by_bob, "the DID registry refused the proof: ");
    assert!(stderr(&by_bob).contains(&format!("does not control {MEMBER_DID}")), "{}", stderr(&by_bob));

    // Underwriting sees the claim: alice's application citing it gets the scoring function's
    // suggestion for rating >= 4.5 over >= 100 reviews, far above what she gets without it.
    use resource_core::underwriting::{suggested_limit, ScoringInputs, ScoringParams};
    let inputs = ScoringInputs::from_predicates(
        [("platform_rating", "rating>=45;reviews>=100")],
        resource_core::did::ReputationSummary::default(),
    );
    let expected = suggested_limit(&inputs, &ScoringParams::with_unit(1_000_000)).limit;
    let without = json_of(uw(home, &["suggest", "--member", "alice", "--json"]));
    assert_eq!(without["suggestion"]["limit"], "100000000", "{without}");
    let applied = json_of(uw(home, &["apply", "475", "--term", "1d", "--claim", "1", "--from", "alice", "--json"]));
    assert_eq!(applied["application"]["suggestion"]["limit"], expected.to_string(), "{applied}");
    assert_eq!(expected, 475_000_000);
    // A claim is its DID's: another member cannot cite it.
    assert_one_line_error(
        &uw(home, &["apply", "100", "--term", "1d", "--claim", "1", "--from", "dave"]),
        "the underwriting contract refused Apply: ",
    );

    // Deploying again reuses the recorded registry: only its admin stores keys or changes the
    // longest validity, which an existing registry takes with UpdateConfig.
    assert_one_line_error(
        &cred(home, &["deploy", "--artifacts", artifacts, "--kind", "rating", "--from", "bob"]),
        "the DID registry refused SetVerifyingKey: ",
    );
    assert_one_line_error(
        &cred(
            home,
            &["deploy", "--artifacts", artifacts, "--kind", "rating", "--from", "bob", "--max-validity", "30d"],
        ),
        "only the registry's admin changes it (--from bob is not it; pass --from ADMIN)",
    );
    let again =
        succeeded(cred(home, &["deploy", "--artifacts", artifacts, "--kind", "rating", "--max-validity", "30d"]));
    let contracts = table_after(&again, "");
    assert_eq!(contracts[1], ["DID registry", deployed["did_registry"].as_str().unwrap(), "already deployed"]);
    assert_eq!(contracts[2][..2], ["underwriting", uw_deployed["underwriting"].as_str().unwrap()], "{again}");
    assert!(flat(&again).contains("a proven claim may hold for at most 30 d"), "{again}");
}

// ---------------------------------------------------------------------------------------------
// resource deploy

/// The shipped example for the devnet, with its key file beside it.
fn devnet_example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deployments/examples/devnet.toml")
}

/// `resource deploy --config <config>` against `rpc`, records in `records`.
fn deploy(config: &Path, rpc: &str, records: &Path, extra: &[&str]) -> Output {
    let artifacts = artifacts();
    let mut args = vec![
        "deploy",
        "--config",
        config.to_str().unwrap(),
        "--rpc",
        rpc,
        "--artifacts",
        artifacts.to_str().unwrap(),
        "--deployments",
        records.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&mut resource(&args))
}

/// The example config with `from` replaced by `to` (the key file stays the example's).
fn example_with(dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(devnet_example()).unwrap();
    assert!(text.contains(from), "the example has `{from}`");
    let key = devnet_example().with_file_name("devnet-admin.mnemonic");
    let text = text.replace(from, to).replace("path = \"devnet-admin.mnemonic\"", &format!("path = {:?}", key));
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The admin's account sequence and the number of stored codes, read with the Rust client.
fn chain_counts(rpc: &str) -> (u64, usize) {
    use resource_client::test_accounts::test_account;
    use resource_client::{ChainClient, ChainConfig, Wallet};
    let config = ChainConfig { rpc: rpc.into(), ..ChainConfig::local("resource-1") };
    let admin = Wallet::from_mnemonic(test_account("admin").unwrap().mnemonic, "inj").unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let client = ChainClient::connect(config).await.unwrap();
        (client.account(admin.address()).await.unwrap().1, client.codes(10_000).await.unwrap().len())
    })
}

fn deploy_a_network_on_a_running_devnet(dir: &Path, rpc: &str) {
    let records = dir.join("deployments");
    let example = devnet_example();
    let before = chain_counts(rpc);

    // Refused before anything is sent: the wrong chain, a missing key, a bad field.
    let wrong = deploy(&example, rpc, &records, &["--chain-id", "resource-9"]);
    assert_one_line_error(&wrong, "serves chain `resource-1`, not `resource-9`; fix chain_id or rpc");
    let no_file = example_with(dir, "no-key.toml", "path = \"devnet-admin.mnemonic\"", "path = \"absent.mnemonic\"");
    let output = deploy(&no_file, rpc, &records, &[]);
    assert_one_line_error(&output, "absent.mnemonic ([key] path in");
    assert!(stderr(&output).contains("does not exist: write the deployer's mnemonic into it"), "{}", stderr(&output));
    let env = example_with(
        dir,
        "env-key.toml",
        "source = \"mnemonic-file\"\npath = \"devnet-admin.mnemonic\"",
        "source = \"env\"\nvariable = \"RESOURCE_DEPLOY_TEST_MNEMONIC\"",
    );
    let output = deploy(&env, rpc, &records, &[]);
    assert_one_line_error(&output, "RESOURCE_DEPLOY_TEST_MNEMONIC ([key] variable in");
    assert!(stderr(&output).contains("is not set: export it"), "{}", stderr(&output));
    let typo = example_with(dir, "typo.toml", "fee_bps = 100", "fee_bsp = 100");
    let output = deploy(&typo, rpc, &records, &[]);
    assert_one_line_error(&output, "unknown field `fee_bsp`");
    assert!(stderr(&output).contains(&format!("{}:", typo.display())) && stderr(&output).contains("(in [network])"));
    assert!(!records.exists(), "nothing recorded");
    assert_eq!(chain_counts(rpc), before, "nothing sent: same sequence, same codes");

    // A cold deploy: every code stored, every contract instantiated, the token wired.
    let started = std::time::Instant::now();
    let cold = json_of(deploy(&example, rpc, &records, &["--json"]));
    let cold_seconds = started.elapsed().as_secs_f64();
    assert_eq!(
        (cold["stored"].as_u64(), cold["instantiated"].as_u64(), cold["wired"].as_u64()),
        (Some(5), Some(5), Some(2)),
        "{cold}"
    );
    assert!(cold_seconds < 60.0, "a cold deploy took {cold_seconds:.1} s");
    let path = records.join("resource-1").join("devnet.json");
    assert_eq!(cold["record"], path.to_str().unwrap());
    let text = std::fs::read_to_string(&path).unwrap();
    let record: serde_json::Value = serde_json::from_str(&text).unwrap();
    let names = ["clearing", "credit_token", "did_registry", "meta_bridge", "underwriting"];
    for name in names {
        let code = &record["codes"][name];
        assert_eq!(code["checksum"].as_str().unwrap().len(), 64, "{record}");
        assert!(
            code["stored"]["tx_hash"].as_str().is_some() && code["stored"]["height"].as_u64() > Some(0),
            "{record}"
        );
        let contract = &record["contracts"][name];
        assert_eq!(contract["code_id"], code["code_id"], "{record}");
        assert!(contract["address"].as_str().unwrap().starts_with("inj1"), "{record}");
        assert_eq!(cold["contracts"][name], contract["address"]);
    }
    assert_eq!(record["wiring"].as_object().unwrap().len(), 2, "{record}");
    let sums = std::fs::read_to_string(artifacts().join("checksums.txt")).unwrap();
    assert!(sums.contains(record["codes"]["credit_token"]["checksum"].as_str().unwrap()), "the artifact's checksum");
    // The wiring as the token itself reports it.
    let token_config = {
        use resource_client::{ChainClient, ChainConfig};
        let config = ChainConfig { rpc: rpc.into(), ..ChainConfig::local("resource-1") };
        let token = record["contracts"]["credit_token"]["address"].as_str().unwrap().to_string();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let client = ChainClient::connect(config).await.unwrap();
            let msg = resource_msgs::credit_token::QueryMsg::Config {};
            client.query_smart::<resource_msgs::credit_token::ConfigResponse>(&token, &msg).await.unwrap()
        })
    };
    let address = |name: &str| record["contracts"][name]["address"].as_str().unwrap().to_string();
    assert_eq!(token_config.underwriting.map(|a| a.to_string()), Some(address("underwriting")));
    assert_eq!(token_config.fee_collector.to_string(), address("underwriting"));
    assert_eq!(token_config.did_registry.map(|a| a.to_string()), Some(address("did_registry")));
    let exempt: Vec<String> = token_config.fee_exempt.iter().map(|a| a.to_string()).collect();
    for name in ["underwriting", "clearing", "meta_bridge"] {
        assert!(exempt.contains(&address(name)), "{name} is fee-exempt: {exempt:?}");
    }

    // Again: nothing stored, instantiated or sent, and the record is as it was.
    let sequence = chain_counts(rpc);
    let started = std::time::Instant::now();
    let warm = json_of(deploy(&example, rpc, &records, &["--json"]));
    let warm_seconds = started.elapsed().as_secs_f64();
    assert_eq!(
        (warm["stored"].as_u64(), warm["instantiated"].as_u64(), warm["wired"].as_u64()),
        (Some(0), Some(0), Some(0)),
        "{warm}"
    );
    let outcomes: Vec<&str> =
        warm["steps"].as_array().unwrap().iter().map(|s| s["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, [vec!["recorded"; 10], vec!["already wired"; 2]].concat(), "{warm}");
    assert!(warm_seconds < 10.0, "a second run took {warm_seconds:.1} s");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "the record is unchanged");
    assert_eq!(chain_counts(rpc), sequence, "no transaction was sent");
    let table = succeeded(deploy(&example, rpc, &records, &[]));
    assert!(table.contains("0 code(s) stored, 0 contract(s) instantiated, 0 wiring transaction(s)"), "{table}");

    // Another network on the same chain finds the code by its checksum and stores none.
    let other = example_with(dir, "other.toml", "name = \"devnet\"", "name = \"devnet-b\"");
    let second = json_of(deploy(&other, rpc, &records, &["--json"]));
    assert_eq!((second["stored"].as_u64(), second["instantiated"].as_u64()), (Some(0), Some(5)), "{second}");
    let record_b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(records.join("resource-1").join("devnet-b.json")).unwrap())
            .unwrap();
    for name in names {
        assert_eq!(record_b["codes"][name]["code_id"], record["codes"][name]["code_id"], "{record_b}");
        assert!(record_b["codes"][name].get("stored").is_none(), "found, not stored: {record_b}");
        assert_ne!(record_b["contracts"][name]["address"], record["contracts"][name]["address"]);
    }
    let found = second["steps"].as_array().unwrap().iter().filter(|s| s["outcome"] == "found on chain").count();
    assert_eq!(found, 5, "{second}");

    // A deploy that stopped after the bridge's instantiation landed but before the record was
    // saved: the next run finds the contract on the chain (creator, label, code) and records it.
    let path_b = records.join("resource-1").join("devnet-b.json");
    let mut cut = record_b.clone();
    let bridge = cut["contracts"].as_object_mut().unwrap().remove("meta_bridge").unwrap();
    std::fs::write(&path_b, serde_json::to_string_pretty(&cut).unwrap()).unwrap();
    let resumed = json_of(deploy(&other, rpc, &records, &["--json"]));
    assert_eq!((resumed["stored"].as_u64(), resumed["instantiated"].as_u64()), (Some(0), Some(0)), "{resumed}");
    let step = resumed["steps"].as_array().unwrap().iter().find(|s| s["name"] == "meta_bridge").unwrap().clone();
    assert_eq!((step["outcome"].as_str(), &step["id"]), (Some("found on chain"), &bridge["address"]), "{resumed}");
    let healed: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path_b).unwrap()).unwrap();
    assert_eq!(healed["contracts"]["meta_bridge"], bridge, "recorded as the first run made it");

    operate_the_deployed_network(dir, rpc, &example, &records, &record);
    upgrade_the_deployed_network(dir, rpc, &example, &records);
}

/// An artifacts folder like the built one, with `edit` applied to the named artifacts and their
/// checksums rewritten to match.
fn artifacts_with(dir: &Path, name: &str, edit: &[(&str, Vec<u8>)]) -> PathBuf {
    use sha2::{Digest, Sha256};
    let out = dir.join(name);
    std::fs::create_dir_all(&out).unwrap();
    let mut sums = String::new();
    for file in ["did_registry.wasm", "credit_token.wasm", "underwriting.wasm", "clearing.wasm", "meta_bridge.wasm"] {
        let wasm = match edit.iter().find(|(f, _)| *f == file) {
            Some((_, wasm)) => wasm.clone(),
            None => std::fs::read(artifacts().join(file)).unwrap(),
        };
        sums.push_str(&format!("{}  {file}\n", hex::encode(Sha256::digest(&wasm))));
        std::fs::write(out.join(file), wasm).unwrap();
    }
    std::fs::write(out.join("checksums.txt"), sums).unwrap();
    out
}

/// `resource upgrade`: nothing to do on the deployed code; a new build of the credit token (the
/// same wasm with a custom section: new code, same cw2 version) is stored and migrated to, recorded,
/// and the token keeps its state; another contract's code is refused by the token's own cw2 check.
fn upgrade_the_deployed_network(dir: &Path, rpc: &str, config: &Path, records: &Path) {
    let upgrade = |artifacts: &Path, extra: &[&str]| {
        let mut all = vec!["upgrade", "--config", config.to_str().unwrap(), "--deployments", records.to_str().unwrap()];
        all.extend_from_slice(&["--rpc", rpc, "--artifacts", artifacts.to_str().unwrap()]);
        all.extend_from_slice(extra);
        run(&mut resource(&all))
    };
    let record_path = records.join("resource-1").join("devnet.json");
    let read_record =
        || -> serde_json::Value { serde_json::from_str(&std::fs::read_to_string(&record_path).unwrap()).unwrap() };
    let before = chain_counts(rpc);
    let same = json_of(upgrade(&artifacts(), &["--json"]));
    assert_eq!((same["migrated"].as_u64(), same["stored"].as_u64()), (Some(0), Some(0)), "{same}");
    let outcomes: Vec<&str> =
        same["contracts"].as_array().unwrap().iter().map(|c| c["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["up to date"; 5], "{same}");
    assert_eq!(chain_counts(rpc), before, "nothing sent");
    let status = || {
        let (config, records) = (config.to_str().unwrap(), records.to_str().unwrap());
        json_of(run(&mut resource(&[
            "network",
            "status",
            "--json",
            "--config",
            config,
            "--deployments",
            records,
            "--rpc",
            rpc,
        ])))
    };
    let supply = status()["total_supply"].clone();

    // A new build of the token: the built wasm plus a custom section (id 0, name "rebuild").
    let mut rebuilt = std::fs::read(artifacts().join("credit_token.wasm")).unwrap();
    rebuilt.extend_from_slice(&[0, 9, 7]);
    rebuilt.extend_from_slice(b"rebuild\x01");
    let new = artifacts_with(dir, "artifacts-rebuilt", &[("credit_token.wasm", rebuilt)]);
    let migrated = json_of(upgrade(&new, &["--json"]));
    assert_eq!((migrated["migrated"].as_u64(), migrated["stored"].as_u64()), (Some(1), Some(1)), "{migrated}");
    let token = &migrated["contracts"][1];
    assert_eq!((token["contract"].as_str(), token["outcome"].as_str()), (Some("credit_token"), Some("migrated")));
    assert_ne!(token["from_code"], token["to_code"], "{migrated}");
    assert_eq!(token["from_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(token["to_version"], env!("CARGO_PKG_VERSION"));
    let record = read_record();
    assert_eq!(record["contracts"]["credit_token"]["code_id"], token["to_code"], "{record}");
    assert_eq!(record["codes"]["credit_token"]["code_id"], token["to_code"], "{record}");
    let migrations = record["contracts"]["credit_token"]["migrations"].as_array().unwrap();
    assert_eq!((migrations.len(), &migrations[0]["tx_hash"]), (1, &token["tx_hash"]), "{record}");
    let status = status();
    assert_eq!(status["total_supply"], supply, "the token kept its state: {status}");
    let again = succeeded(upgrade(&new, &[]));
    assert!(again.contains("0 contract(s) migrated, 0 code(s) stored"), "{again}");

    // The clearing contract's code in the token's place: the token's cw2 check refuses it.
    let clearing = std::fs::read(artifacts().join("clearing.wasm")).unwrap();
    let wrong = artifacts_with(dir, "artifacts-wrong", &[("credit_token.wasm", clearing)]);
    let refused = upgrade(&wrong, &[]);
    assert_one_line_error(&refused, "migrating the credit_token contract");
    assert!(stderr(&refused).contains("cannot migrate from a different contract"), "{}", stderr(&refused));
    assert_eq!(read_record()["contracts"]["credit_token"]["code_id"], token["to_code"], "still the rebuilt code");
}

/// `resource network status`, `member account` and `pay` on the network `deploy` just made, as a
/// user runs them: the config and the record name everything, the payer's key comes from a file.
fn operate_the_deployed_network(dir: &Path, rpc: &str, config: &Path, records: &Path, record: &serde_json::Value) {
    use resource_client::test_accounts::test_account;
    use resource_client::{ChainClient, ChainConfig, Wallet};
    use resource_msgs::credit_token::{CreditAccountResponse, NetworkStatsResponse, QueryMsg};
    let home = dir.to_str().unwrap();
    let op = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--config", config.to_str().unwrap(), "--deployments", records.to_str().unwrap()]);
        all.extend_from_slice(&["--rpc", rpc]);
        run(&mut resource(&all))
    };
    let address = |name: &str| record["contracts"][name]["address"].as_str().unwrap().to_string();
    let (token, underwriting) = (address("credit_token"), address("underwriting"));
    let account_of = |name: &str| Wallet::from_mnemonic(test_account(name).unwrap().mnemonic, "inj").unwrap();
    let (alice, bob) = (account_of("alice").address().to_string(), account_of("bob").address().to_string());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = runtime
        .block_on(ChainClient::connect(ChainConfig { rpc: rpc.into(), ..ChainConfig::local("resource-1") }))
        .unwrap();
    let stats = || -> NetworkStatsResponse {
        runtime.block_on(client.query_smart(&token, &QueryMsg::NetworkStats {})).unwrap()
    };
    let sequence = |who: &str| runtime.block_on(client.account(who)).unwrap().1;

    // A new network: nothing in circulation, no defaults.
    let fresh = json_of(op(&["network", "status", "--json"]));
    assert_eq!(
        (fresh["network"].as_str(), fresh["chain_id"].as_str()),
        (Some("devnet"), Some("resource-1")),
        "{fresh}"
    );
    assert_eq!(fresh["credit_token"], token.as_str());
    assert_eq!(fresh["units"]["symbol"], "rUSD");
    assert_eq!((fresh["total_supply"].as_str(), fresh["members_in_debt"].as_u64()), (Some("0"), Some(0)), "{fresh}");
    assert_eq!(fresh["underwriting"]["contract"], underwriting.as_str());
    assert_eq!(fresh["recent_defaults"], serde_json::json!([]));
    let table = succeeded(op(&["network", "status"]));
    assert!(table.contains("devnet on resource-1") && table.contains("No default has been declared."), "{table}");

    // What is missing or wrong is said before anything is trusted.
    let empty = dir.join("no-records");
    let missing = run(&mut resource(&[
        "network",
        "status",
        "--config",
        config.to_str().unwrap(),
        "--deployments",
        empty.to_str().unwrap(),
        "--rpc",
        rpc,
    ]));
    assert_one_line_error(&missing, "no deployment of network `devnet` on resource-1");
    assert!(stderr(&missing).contains("deploy it with `resource deploy --config"), "{}", stderr(&missing));
    assert_one_line_error(&op(&["network", "status", "--chain-id", "resource-9"]), "not `resource-9`");

    // Alice gets a line through the deployed underwriting contract: bob and carol back it.
    for backer in ["bob", "carol"] {
        succeeded(uw(home, &["stake", "10", "--from", backer, "--contract", &underwriting]));
    }
    let applied =
        json_of(uw(home, &["apply", "100", "--term", "2d", "--from", "alice", "--contract", &underwriting, "--json"]));
    let id = applied["application"]["id"].as_u64().unwrap().to_string();
    for backer in ["bob", "carol"] {
        succeeded(uw(home, &["back", &id, "5", "--from", backer, "--contract", &underwriting]));
    }
    let account = json_of(op(&["member", "account", &alice, "--json"]));
    let direct: CreditAccountResponse =
        runtime.block_on(client.query_smart(&token, &QueryMsg::CreditAccount { address: alice.clone() })).unwrap();
    assert_eq!(account, serde_json::to_value(&direct).unwrap(), "the token's own answer");
    assert_eq!(account["line"]["limit"], "100000000", "{account}");
    let shown = succeeded(op(&["member", "account", &alice]));
    assert!(shown.contains("100.00 rUSD (active)") && shown.contains("good"), "{shown}");
    assert_one_line_error(&op(&["member", "account", "nobody"]), "is it an address of this chain (inj1...)?");
    // This network's lines have fixed terms: a sync says so, and sends nothing.
    let before = sequence(&alice);
    let key_file = dir.join("sync.mnemonic");
    std::fs::write(&key_file, test_account("alice").unwrap().mnemonic).unwrap();
    let not_due = op(&["member", "sync", &alice, "--key-file", key_file.to_str().unwrap()]);
    assert_one_line_error(&not_due, "has no credit period (it runs for a fixed term)");
    assert!(stderr(&not_due).contains("Nothing was sent"), "{}", stderr(&not_due));
    assert_eq!(sequence(&alice), before, "nothing was sent");

    // Alice pays bob with her own key, from a file: the token's rule previewed it, the chain agrees.
    let key = dir.join("alice.mnemonic");
    std::fs::write(&key, test_account("alice").unwrap().mnemonic).unwrap();
    let key = key.to_str().unwrap();
    let paid = json_of(op(&["pay", "--to", &bob, "--amount", "12.5", "--key-file", key, "--json"]));
    assert_eq!((paid["from"].as_str(), paid["to"].as_str()), (Some(alice.as_str()), Some(bob.as_str())), "{paid}");
    assert_eq!(
        (paid["preview"]["amount"].as_str(), paid["preview"]["fee"].as_str()),
        (Some("12500000"), Some("125000"))
    );
    assert_eq!(paid["preview"]["minted"], "12625000");
    assert_eq!(paid["sender_balance"], paid["preview"]["sender_balance_after"], "{paid}");
    assert_eq!(paid["receiver_balance"], paid["preview"]["receiver_balance_after"], "{paid}");
    assert_eq!(paid["sender_balance"], "-12625000");
    // Refused before signing: more than the line, the payer's key missing, a bad amount.
    let before = sequence(&alice);
    let refused = op(&["pay", "--to", &bob, "--amount", "500", "--key-file", key]);
    assert_one_line_error(&refused, "the credit token would refuse this payment of 500.00 rUSD");
    assert!(stderr(&refused).contains("Nothing was sent"), "{}", stderr(&refused));
    assert_one_line_error(
        &op(&["pay", "--to", &bob, "--amount", "1", "--key-env", "RESOURCE_NO_SUCH_MNEMONIC"]),
        "RESOURCE_NO_SUCH_MNEMONIC",
    );
    assert_one_line_error(
        &op(&["pay", "--to", &bob, "--amount", "1.0000001", "--key-file", key]),
        "more than 6 decimals",
    );
    assert_eq!(sequence(&alice), before, "nothing was sent");
    let table = succeeded(op(&["pay", "--to", &bob, "--amount", "1", "--key-file", key]));
    assert!(table.contains("1.00 rUSD to ") && table.contains("0.01 rUSD"), "{table}");

    // The status is the token's and the pool's own figures.
    let status = json_of(op(&["network", "status", "--json"]));
    let stats = stats();
    assert_eq!(status["total_supply"], stats.total_supply.to_string(), "{status}");
    assert_eq!(status["total_credit_extended"], "100000000", "{status}");
    assert_eq!((status["members_in_debt"].as_u64(), Some(stats.members_in_debt)), (Some(1), Some(1)), "{status}");
    // 100 rUSD at 0.1 INJ per rUSD, all of it backed.
    assert_eq!(status["underwriting"]["total_exposure"], (10 * INJ).to_string(), "{status}");
    assert_eq!(status["underwriting"]["stake_units"]["symbol"], "INJ", "{status}");
    let table = succeeded(op(&["network", "status"]));
    assert!(table.contains("(1 in debt)") && table.contains("100.00 rUSD") && table.contains("10.00 INJ"), "{table}");
}
