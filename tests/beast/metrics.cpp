// Tests of rtnotify/beast/metrics.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/metrics.hpp>

#include "beast/prometheus.hpp"

#include <gtest/gtest.h>

namespace {

using rtnotify::beast::metric_family;

TEST(Metrics, FamiliesAreWrittenInTheExpositionFormat)
{
    auto const text = rtnotify::beast::prometheus_text(
        {{"app_up", "Whether it runs.", false, {{"", 1}}},
         {"app_requests_total", "Requests, by code.\nA second line \\ with a backslash.", true,
          {{R"(code="200")", 7}, {R"(code="404")", 18446744073709551615u}}},
         {"app_none_total", "Nothing yet.", true, {}}});
    EXPECT_EQ(text, "# HELP app_up Whether it runs.\n"
                    "# TYPE app_up gauge\n"
                    "app_up 1\n"
                    "# HELP app_requests_total Requests, by code.\\nA second line \\\\ with a backslash.\n"
                    "# TYPE app_requests_total counter\n"
                    "app_requests_total{code=\"200\"} 7\n"
                    "app_requests_total{code=\"404\"} 18446744073709551615\n"
                    "# HELP app_none_total Nothing yet.\n"
                    "# TYPE app_none_total counter\n");
    auto const samples = rtnotify_test::parse_prometheus(text);
    EXPECT_EQ(samples.at("app_up"), 1u);
    EXPECT_EQ(samples.at(R"(app_requests_total{code="200"})"), 7u);
    EXPECT_EQ(samples.size(), 3u);
}

} // namespace
