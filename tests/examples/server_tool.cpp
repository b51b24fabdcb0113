// rtnotify-server, run as a program: every option's value is checked before the server starts.
#include "program.hpp"

#include <gtest/gtest.h>

#include <string>

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
            bad_case{"--idle 0", "--idle: idle_timeout must be from 1 to 86400000 ms"},
            bad_case{"--idle 9223372036854775807", "--idle: idle_timeout must be from 1 to 86400000 ms"},
            bad_case{"--idle 18446744073709551615", "--idle takes a whole number up to 9223372036854775807"},
            bad_case{"--max-interval 86400001", "--max-interval: session.max_interval must be from 0 to 86400000 ms"},
            bad_case{"--timeout -1", "--timeout takes a whole number"},
            bad_case{"--kuzzle k", "--kuzzle takes a path starting with '/' or 'none'"},
            bad_case{"--listen localhost", "--listen takes HOST:PORT"},
            bad_case{"--listen :80", "--listen takes HOST:PORT"},
            bad_case{"--frobnicate 1", "unknown option '--frobnicate'"},
            bad_case{"--frobnicate", "unknown option '--frobnicate'"},
            bad_case{"--timeout", "--timeout needs a value"},
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
}

} // namespace
