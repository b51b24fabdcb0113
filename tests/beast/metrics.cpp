// Tests of rtnotify/beast/metrics.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/metrics.hpp>

#include "beast/prometheus.hpp"

#include <gtest/gtest.h>

namespace {

using rtnotify::beast::metric_family;
using rtnotify::beast::metric_kind;

TEST(Metrics, FamiliesAreWrittenInTheExpositionFormat)
{
    auto const text = rtnotify::beast::prometheus_text(
        {{"app_up", "Whether it runs.", metric_kind::gauge, {{"", 1}}, {}},
         {"app_requests_total", "Requests, by code.\nA second line \\ with a backslash.", metric_kind::counter,
          {{R"(code="200")", 7}, {R"(code="404")", 18446744073709551615u}}, {}},
         {"app_none_total", "Nothing yet.", metric_kind::counter, {}, {}}});
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

TEST(Metrics, AHistogramHasCumulativeBucketsThenItsSumAndCount)
{
    metric_family h{"app_wait_seconds", "Waits.", metric_kind::histogram, {}, {}};
    h.histogram.buckets = {{0.001, 2}, {2.5, 3}, {60, 3}};
    h.histogram.count = 4;
    h.histogram.sum = 63.0625;
    auto const text = rtnotify::beast::prometheus_text({h});
    EXPECT_EQ(text, "# HELP app_wait_seconds Waits.\n"
                    "# TYPE app_wait_seconds histogram\n"
                    "app_wait_seconds_bucket{le=\"0.001\"} 2\n"
                    "app_wait_seconds_bucket{le=\"2.5\"} 3\n"
                    "app_wait_seconds_bucket{le=\"60\"} 3\n"
                    "app_wait_seconds_bucket{le=\"+Inf\"} 4\n"
                    "app_wait_seconds_sum 63.0625\n"
                    "app_wait_seconds_count 4\n");
    auto const samples = rtnotify_test::parse_prometheus(text);
    EXPECT_EQ(samples.at("app_wait_seconds_sum"), 63.0625);
    EXPECT_EQ(samples.at(R"(app_wait_seconds_bucket{le="+Inf"})"), 4);
    EXPECT_EQ(samples.size(), 6u);
}

TEST(Metrics, SummedFamiliesAddSamplesByLabelsAndHistogramsByBucket)
{
    metric_family wait{"w_seconds", "Waits.", metric_kind::histogram, {}, {}};
    wait.histogram = {{{0.5, 1}, {1, 2}}, 3, 2.5};
    std::vector<metric_family> first{
        {"up", "Up.", metric_kind::gauge, {{"", 1}}, {}},
        {"r_total", "By code.", metric_kind::counter, {{R"(code="200")", 7}}, {}},
        wait,
    };
    wait.histogram = {{{0.5, 0}, {1, 4}}, 5, 4.0};
    std::vector<metric_family> const second{
        {"r_total", "By code.", metric_kind::counter, {{R"(code="200")", 3}, {R"(code="404")", 1}}, {}},
        {"up", "Up.", metric_kind::gauge, {{"", 1}}, {}},
        wait,
        {"only_here", "Its own.", metric_kind::gauge, {{"", 9}}, {}},
        {"up", "A second kind.", metric_kind::counter, {{"", 100}}, {}},
    };
    rtnotify::beast::sum_metrics(first, second);
    auto const samples = rtnotify_test::parse_prometheus(rtnotify::beast::prometheus_text(first));
    EXPECT_EQ(samples.at("up"), 2) << "a family of another kind is not added";
    EXPECT_EQ(samples.at(R"(r_total{code="200"})"), 10);
    EXPECT_EQ(samples.at(R"(r_total{code="404"})"), 1);
    EXPECT_EQ(samples.at(R"(w_seconds_bucket{le="0.5"})"), 1);
    EXPECT_EQ(samples.at(R"(w_seconds_bucket{le="1"})"), 6);
    EXPECT_EQ(samples.at("w_seconds_count"), 8);
    EXPECT_EQ(samples.at("w_seconds_sum"), 6.5);
    EXPECT_EQ(samples.at("only_here"), 9);
    EXPECT_EQ(first.size(), 4u);
}

} // namespace
