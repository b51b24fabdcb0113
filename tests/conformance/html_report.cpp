// Tests of html_report.hpp: the page escapes what servers send and holds every case; Chromium checks the rest (html_report.sh).
// SPDX-License-Identifier: BSL-1.0
#include "html_report.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace {

namespace rc = rtnotify_conformance;
namespace json = boost::json;

TEST(ConformanceHtmlReport, EscapesWhatAServerSent)
{
    EXPECT_EQ(rc::html_escape(R"(<script>alert("x" & 'y')</script>)"),
              "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
}

TEST(ConformanceHtmlReport, EveryCaseWithItsWireLog)
{
    auto f = rc::parse_fixture("bayeux/connect/x", json::parse(R"({"description":"d <b>","spec":"bayeux/connect","requirement":"r",
        "level":"MUST","binds":"server","steps":[{"sleep_ms":0}]})"));
    ASSERT_TRUE(f);
    f->spec_title = "Bayeux 1.0, /meta/connect";
    f->spec_url = "https://docs.cometd.org/current/reference/#_bayeux_meta_connect";
    rc::case_result r;
    r.id = "bayeux/connect/x";
    r.outcome = rc::verdict::fail;
    r.failure = "step 1: status 500";
    r.expected_by_profile = "pass";
    r.wire = {{1.5, "a", "received", "HTTP/1.1 500 Internal Server Error\r\n\r\n<html>oops</html>"}};
    std::vector<rc::reported> const all{{&*f, r}};
    std::ostringstream os;
    rc::write_html(os, all, {"a server", "http://127.0.0.1:1/bayeux", "mine", {"bayeux: a handshake succeeded"}, 2.0});
    auto const html = os.str();
    EXPECT_TRUE(html.starts_with("<!DOCTYPE html>")) << html;
    EXPECT_NE(html.find(R"(<details class="case" id="case-bayeux/connect/x" data-verdict="fail" data-group="bayeux/connect">)"),
              std::string::npos);
    EXPECT_NE(html.find("d &lt;b&gt;"), std::string::npos);
    EXPECT_NE(html.find("&lt;html&gt;oops&lt;/html&gt;"), std::string::npos); // a body cannot inject markup
    EXPECT_EQ(html.find("<html>oops"), std::string::npos);
    EXPECT_NE(html.find(R"(<a class="spec" href="https://docs.cometd.org/current/reference/#_bayeux_meta_connect">)"),
              std::string::npos);
    EXPECT_NE(html.find("mine records pass (differs)"), std::string::npos);
    EXPECT_NE(html.find("<td class=\"fail\">1</td>"), std::string::npos);
    EXPECT_EQ(html.find("src="), std::string::npos); // self-contained: nothing loaded from elsewhere
}

} // namespace
