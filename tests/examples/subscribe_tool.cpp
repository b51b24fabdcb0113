// rtnotify-subscribe, run as a program: a server it cannot use makes it say why and exit 1, not retry forever.
// SPDX-License-Identifier: BSL-1.0
#include "beast/loopback.hpp"
#include "program.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

/// Runs rtnotify-subscribe with `args` for at most 20 s; its exit status (124: still running) and standard error.
rtnotify_test::program_result run(std::string const& args)
{
    return rtnotify_test::run_program("timeout 20 " + std::string(RTNOTIFY_SUBSCRIBE_TOOL) + " " + args + " 2>&1 >/dev/null");
}

TEST(SubscribeTool, UnreachableServerGivesUpWithTheReason)
{
    unsigned short port = 0;
    {
        // a port nothing listens on: bound, then released
        boost::asio::io_context ioc;
        boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
        port = a.local_endpoint().port();
    }
    auto const r = run("http://127.0.0.1:" + std::to_string(port) + "/bayeux /a --attempts 2");
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("giving up after 2 failed attempts"), std::string::npos) << r.out;
}

TEST(SubscribeTool, WrongPathGivesUpWithTheStatus)
{
    rtnotify_test::running_server s;
    auto const r = run("http://127.0.0.1:" + std::to_string(s.port) + "/nowhere /a");
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("HTTP 404 from /nowhere"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("giving up after 3 failed attempts"), std::string::npos) << r.out;
}

TEST(SubscribeTool, AttemptsMustBeAtLeastOne)
{
    EXPECT_EQ(run("http://127.0.0.1:1/bayeux /a --attempts 0").status, 2);
}

TEST(SubscribeTool, BadUrlsAndReachOptionsAreUsageErrorsWithTheReason)
{
    auto r = run("ftp://127.0.0.1:1/bayeux /a");
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_NE(r.out.find("ftp://127.0.0.1:1/bayeux: the scheme must be http, https, ws or wss"), std::string::npos)
        << r.out;
    r = run("http://127.0.0.1:1/bayeux /a --insecure");
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_NE(r.out.find("need an https:// or wss:// URL"), std::string::npos) << r.out;
    r = run("https://127.0.0.1:1/bayeux /a --cacert /nonexistent/ca.pem");
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_NE(r.out.find("/nonexistent/ca.pem"), std::string::npos) << r.out;
    r = run("http://127.0.0.1:1/bayeux /a --header 'no colon'");
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_NE(r.out.find("--header needs 'Name: value'"), std::string::npos) << r.out;
}

} // namespace
