// rtnotify-server, run as a program: every option's value is checked before the server starts.
// SPDX-License-Identifier: BSL-1.0
#include "program.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <gtest/gtest.h>

#include <csignal>
#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct outcome
{
    int status;
    std::string err;
};

/// Runs rtnotify-server with `args` for at most 2 s; its exit status (124: still running) and standard error.
outcome run(std::string const& args)
{
    auto r = rtnotify_test::run_program("timeout 2 " + std::string(RTNOTIFY_SERVER_TOOL) + " " + args + " 2>&1 >/dev/null");
    return {r.status, std::move(r.out)};
}

TEST(ServerTool, ValuesOutOfRangeAreRefusedWithTheSettingTheyBreak)
{
    struct bad_case
    {
        char const* args;
        char const* says;
    };
    for(auto const& c : {
            bad_case{"--max-queue 0", "--max-queue: session.max_queue must be at least 1"},
            bad_case{"--max-sessions 0", "--max-sessions: session.max_sessions must be at least 1"},
            bad_case{"--max-connections 0", "--max-connections: max_connections must be at least 1"},
            bad_case{"--max-body 0", "--max-body: max_body_bytes must be at least 1"},
            bad_case{"--max-header 511", "--max-header: max_header_bytes must be at least 512"},
            bad_case{"--max-queue-bytes 0", "--max-queue-bytes: session.max_queue_bytes must be at least 1"},
            bad_case{"--max-sessions-per-address 0",
                     "--max-sessions-per-address: session.max_sessions_per_owner must be at least 1"},
            bad_case{"--max-ws-backlog 0", "--max-ws-backlog: max_ws_backlog_bytes must be at least 1"},
            bad_case{"--max-template-collections-per-address 0",
                     "--max-template-collections-per-address: templates.max_collections_per_owner must be at least 1"},
            bad_case{"--max-template-bytes 0", "--max-template-bytes: templates.max_total_bytes must be at least 1"},
            bad_case{"--max-buffered 0", "--max-buffered: max_buffered_bytes must be at least 1"},
            bad_case{"--max-buffered-per-address 0",
                     "--max-buffered-per-address: max_buffered_bytes_per_address must be at least 1"},
            bad_case{"--max-total-queue-bytes 0",
                     "--max-total-queue-bytes: session.max_total_queue_bytes must be at least 1"},
            bad_case{"--write-timeout 0", "--write-timeout: write_timeout must be from 1 to 86400000 ms"},
            bad_case{"--idle 0", "--idle: idle_timeout must be from 1 to 86400000 ms"},
            bad_case{"--idle 9223372036854775807", "--idle: idle_timeout must be from 1 to 86400000 ms"},
            bad_case{"--idle 18446744073709551615", "--idle takes a whole number up to 9223372036854775807"},
            bad_case{"--max-interval 86400001", "--max-interval: session.max_interval must be from 0 to 86400000 ms"},
            bad_case{"--timeout -1", "--timeout takes a whole number"},
            bad_case{"--kuzzle k", "--kuzzle takes a path starting with '/' or 'none'"},
            bad_case{"--listen localhost", "--listen takes HOST:PORT"},
            bad_case{"--listen :80", "--listen takes HOST:PORT"},
            bad_case{"--config a.json --config b.json", "--config is given twice: one configuration file at most"},
            bad_case{"--frobnicate 1", "unknown option '--frobnicate'"},
            bad_case{"--frobnicate", "unknown option '--frobnicate'"},
            bad_case{"--timeout", "--timeout needs a value"},
            bad_case{"--timesync-skew 86400001", "--timesync-skew takes milliseconds from -86400000 to 86400000"},
            bad_case{"--timesync-skew 1s", "--timesync-skew takes milliseconds"},
            bad_case{"--redis http://h", "--redis: not a redis:// or unix: URL"},
            bad_case{"--redis redis://h:0", "--redis: the port is not a number from 1 to 65535"},
            bad_case{"--redis redis://a:b@c --node-id 'x y'", "--node-id takes 1 to 64 characters of [A-Za-z0-9_-]"},
            bad_case{"--node-id n1", "--node-id needs --redis"},
            bad_case{"--redis-channel rtnotify", "--redis-channel needs --redis"},
            bad_case{"--threads 0", "--threads takes a number of threads from 1 to 62, not '0'"},
            bad_case{"--threads 63", "--threads takes a number of threads from 1 to 62"},
            bad_case{"--threads two", "--threads takes a number of threads"},
        })
    {
        auto const r = run(c.args);
        EXPECT_EQ(r.status, 2) << c.args;
        EXPECT_NE(r.err.find(c.says), std::string::npos) << c.args << ": " << r.err;
    }
}

TEST(ServerTool, AcceptedValuesStartTheServer)
{
    // still running when timeout stops it: 124
    EXPECT_EQ(run("--quiet --listen 127.0.0.1:0 --kuzzle none").status, 124);
    EXPECT_EQ(run("--quiet --listen localhost:0 --kuzzle /kuzzle --max-queue 1 --idle 86400000").status, 124);
    EXPECT_EQ(run("--quiet --listen 127.0.0.1:0 --allow-origin https://a.example --allow-origin none").status, 124);
    EXPECT_EQ(run("--quiet --listen 127.0.0.1:0 --timesync-skew -86400000").status, 124);
    EXPECT_EQ(run("--quiet --listen 127.0.0.1:0 --threads 62 --max-connections 62").status, 124);
    EXPECT_EQ(run("--quiet --listen 127.0.0.1:0 --max-sessions-per-address 5 --max-subscriptions 3 --max-queue-bytes 1000 "
                  "--max-header 512 --max-ws-message 10 --max-ws-backlog 10 --write-timeout 5")
                  .status,
              124);
}

TEST(ServerTool, TlsNeedsAListenerACertificateAndItsKeyEachReadable)
{
    auto r = run("--listen-tls 127.0.0.1:0 --tls-cert /nonexistent/c.pem");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--listen-tls (or --mqtt-tls), --tls-cert and --tls-key go together"), std::string::npos) << r.err;
    r = run("--listen 127.0.0.1:0 --tls-cert /nonexistent/c.pem --tls-key /nonexistent/k.pem");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--listen-tls (or --mqtt-tls), --tls-cert and --tls-key go together"), std::string::npos) << r.err;
    r = run("--listen-tls 127.0.0.1:0 --tls-cert /nonexistent/c.pem --tls-key /nonexistent/k.pem");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("cannot use the certificate chain of /nonexistent/c.pem: "), std::string::npos) << r.err;
    r = run("--mqtt-tls 127.0.0.1:0 --tls-key /nonexistent/k.pem");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--listen-tls (or --mqtt-tls), --tls-cert and --tls-key go together"), std::string::npos) << r.err;
    r = run("--listen-tls nowhere:443x --tls-cert a --tls-key b");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--listen-tls takes HOST:PORT or [IPV6]:PORT, not 'nowhere:443x'"), std::string::npos) << r.err;
}

/// A temporary file holding `text`, removed with this object.
struct temp_file
{
    std::string path;

    explicit temp_file(std::string const& text)
        : path((std::filesystem::temp_directory_path() /
                ("rtnotify-config-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++) + ".json"))
                   .string())
    {
        std::ofstream(path) << text;
    }

    ~temp_file() { std::filesystem::remove(path); }

    static int& counter()
    {
        static int n = 0;
        return n;
    }
};

TEST(ServerTool, TheConfigFilesServerOptionsAreCheckedAndNamedByTheirPath)
{
    struct refused
    {
        std::string config;
        std::string said; // after the file's name
    };
    refused const cases[] = {
        {R"({"server": {"listen": "127.0.0.1:0", "max-queue": 0}})",
         ": server.max-queue: session.max_queue must be at least 1"},
        {R"({"server": {"max-queue": "many"}})",
         ": server.max-queue takes a whole number up to 9223372036854775807, not 'many'"},
        {R"({"server": {"listen": "nowhere"}})", ": server.listen takes HOST:PORT or [IPV6]:PORT, not 'nowhere'"},
        {R"({"server": {"frobnicate": 1}})", ": server.frobnicate: no such option, or a value given to a switch"},
        {R"({"server": {"quiet": "yes"}})", ": server.quiet: no such option, or a value given to a switch"},
        {R"({"server": {"listen": true}})", ": server.listen needs a value"},
        {R"({"server": {"config": "other.json"}})", ": server.config: not an option a configuration file can give"},
        {R"({"server": {"listen": 5.5}})", ": server.listen: takes a string, a whole number, true or false, or a list"},
        {R"({"server": {"listen": [true]}})", ": server.listen: a list of strings or whole numbers"},
        {R"({"server": 5})", ": server: must be an object whose members are rtnotify-server's options"},
    };
    for(auto const& c : cases)
    {
        temp_file f(c.config);
        auto const r = run("--config " + f.path);
        EXPECT_EQ(r.status, 2) << c.config;
        EXPECT_NE(r.err.find(f.path + c.said), std::string::npos) << c.config << "\n" << r.err;
    }
    // the command line comes after the file: its value wins
    temp_file f(R"({"server": {"listen": "127.0.0.1:0", "max-queue": 0, "quiet": true}})");
    auto const r = run("--config " + f.path + " --max-queue 5");
    EXPECT_EQ(r.status, 124) << r.err;
    EXPECT_EQ(r.err, "") << "quiet: true";
}

TEST(ServerTool, OutOfFileDescriptorsAnswers503AndLogsOnce)
{
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
    GTEST_SKIP() << "UBSan checks a virtual call's vptr through a pipe, which it cannot open when the process is "
                    "out of descriptors: every virtual call would be reported (this test runs in the default preset)";
#endif
#endif
    namespace asio = boost::asio;
    auto const log = std::filesystem::temp_directory_path() / ("rtnotify-server-fd-" + std::to_string(::getpid()) + ".log");
    // `echo $$` is the server's pid once bash execs it
    auto const command = "exec bash -c 'ulimit -n 40; echo $$; exec " + std::string(RTNOTIFY_SERVER_TOOL) +
                         " --listen 127.0.0.1:0 2>" + log.string() + "'";
    std::unique_ptr<FILE, int (*)(FILE*)> server(::popen(command.c_str(), "r"), ::pclose);
    ASSERT_TRUE(server);
    char line[256];
    ASSERT_TRUE(std::fgets(line, sizeof line, server.get()));
    auto const pid = std::stoi(line);
    ASSERT_TRUE(std::fgets(line, sizeof line, server.get())); // listening on http://127.0.0.1:PORT
    auto const text = std::string(line);
    auto const port = static_cast<unsigned short>(std::stoi(text.substr(text.rfind(':') + 1)));

    // twice as many connections as the server has descriptors; every one must get an answer
    asio::io_context ioc;
    std::vector<asio::ip::tcp::socket> sockets;
    std::vector<std::string> answers(80);
    for(std::size_t i = 0; i < answers.size(); ++i)
    {
        auto& s = sockets.emplace_back(ioc);
        s.connect({asio::ip::make_address("127.0.0.1"), port});
        asio::write(s, asio::buffer(std::string("GET /nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")));
    }
    for(std::size_t i = 0; i < answers.size(); ++i)
        asio::async_read_until(sockets[i], asio::dynamic_buffer(answers[i]), "\r\n", [](auto, auto) {});
    ioc.run_for(std::chrono::seconds(15));
    ::kill(pid, SIGTERM);
    server.reset();

    std::map<std::string, int> statuses;
    for(auto const& a : answers)
        ++statuses[a.substr(0, a.find("\r\n"))];
    EXPECT_EQ(statuses[""], 0) << "connections left hanging";
    EXPECT_GT(statuses["HTTP/1.1 503 Service Unavailable"], 0);
    EXPECT_GT(statuses["HTTP/1.1 404 Not Found"], 0);
    std::stringstream err;
    err << std::ifstream(log).rdbuf();
    std::filesystem::remove(log);
    auto const said = err.str();
    auto const first = said.find("accept failed: Too many open files; answering 503");
    EXPECT_NE(first, std::string::npos) << said;
    EXPECT_EQ(said.find("accept failed", first + 1), std::string::npos) << "logged more than once:\n" << said;
}

/// The first whole number in `s`, if any.
std::optional<std::string> first_number(std::string const& s)
{
    std::smatch m;
    if(std::regex_search(s, m, std::regex("[0-9]+")))
        return m.str();
    return std::nullopt;
}

TEST(ServerTool, TheResourceTableOfTheDocsMatchesHelp)
{
    // --help: each option's block (its line and the indented lines after it), and its default
    auto const help = rtnotify_test::run_program(std::string(RTNOTIFY_SERVER_TOOL) + " --help").out;
    std::map<std::string, std::optional<std::string>> help_defaults;
    std::string current;
    std::istringstream lines(help);
    for(std::string line; std::getline(lines, line);)
    {
        std::smatch m;
        if(std::regex_search(line, m, std::regex("^  (--[a-z-]+)")))
            current = m[1];
        else if(!line.starts_with("    "))
            current.clear();
        if(current.empty())
            continue;
        std::smatch d;
        if(std::regex_search(line, d, std::regex("\\(default ([0-9]+)")))
            help_defaults[current] = d[1];
        else
            help_defaults.try_emplace(current);
    }
    ASSERT_TRUE(help_defaults.contains("--max-buffered")) << help;

    // docs/server.md: the rows of the resource table, by the flag in their fifth column
    std::ifstream in(std::string(RTNOTIFY_TEST_DATA_DIR) + "/../../docs/server.md");
    ASSERT_TRUE(in) << "docs/server.md";
    std::map<std::string, std::string> table_defaults;
    bool in_table = false;
    for(std::string line; std::getline(in, line);)
    {
        if(line.starts_with("## Resource model"))
            in_table = true;
        else if(line.starts_with("#"))
            in_table = false;
        if(!in_table || !line.starts_with("| "))
            continue;
        std::vector<std::string> cells;
        std::istringstream row(line.substr(2));
        for(std::string cell; std::getline(row, cell, '|');)
            cells.push_back(cell);
        std::smatch f;
        if(cells.size() >= 5 && std::regex_search(cells[4], f, std::regex("`(--[a-z-]+)`")))
            table_defaults[f[1]] = cells[2];
    }
    ASSERT_FALSE(table_defaults.empty());
    for(auto const& [flag, cell] : table_defaults)
    {
        ASSERT_TRUE(help_defaults.contains(flag)) << flag << " is in docs/server.md, not in --help";
        EXPECT_EQ(help_defaults[flag], first_number(cell)) << flag << ": --help and docs/server.md disagree";
    }
    for(auto const& [flag, value] : help_defaults)
    {
        if(flag.starts_with("--max-"))
        {
            EXPECT_TRUE(table_defaults.contains(flag)) << flag << " is a limit missing from docs/server.md";
        }
    }
}

} // namespace

