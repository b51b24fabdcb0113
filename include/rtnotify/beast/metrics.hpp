// The server's metrics, written in Prometheus' text exposition format.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_METRICS_HPP
#define RTNOTIFY_BEAST_METRICS_HPP

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rtnotify::beast {

/// What a family's samples are, as its `# TYPE` line says.
enum class metric_kind
{
    gauge,     ///< goes up and down
    counter,   ///< only grows; named `*_total`
    histogram, ///< observations counted in buckets (`metric_family::histogram`)
};

/// The observations of a histogram: how many fell at or under each bound, their count and their sum.
struct histogram_sample
{
    /// (upper bound, observations at or under it): bounds growing, counts cumulative; `+Inf` is `count`.
    std::vector<std::pair<double, std::uint64_t>> buckets;
    std::uint64_t count = 0; ///< every observation
    double sum = 0;          ///< their sum
};

/// One metric and its samples: a name, a help line, a kind and a value per label set (or a histogram).
struct metric_family
{
    std::string name; ///< `[a-zA-Z_:][a-zA-Z0-9_:]*`
    std::string help;
    metric_kind kind = metric_kind::gauge;
    /// (labels, value) of a gauge or counter: labels already written as `key="value",...` (empty: none).
    std::vector<std::pair<std::string, std::uint64_t>> samples;
    histogram_sample histogram; ///< a histogram's (one, without labels)
};

/// `v` as the exposition format writes a float: the shortest text that reads back as `v`.
inline std::string prometheus_number(double v)
{
    char text[32];
    auto const end = std::to_chars(text, text + sizeof text, v).ptr;
    return std::string(text, end);
}

/** `families` in Prometheus' text exposition format, version 0.0.4
    (https://prometheus.io/docs/instrumenting/exposition_formats/): a
    `# HELP` and a `# TYPE` line per family, then one line per sample (for a
    histogram: a `_bucket` line per bound and `+Inf`, then `_sum` and
    `_count`); backslashes and line breaks in a help text are escaped.
*/
inline std::string prometheus_text(std::vector<metric_family> const& families)
{
    static constexpr char const* type_names[] = {" gauge\n", " counter\n", " histogram\n"};
    std::string out;
    for(auto const& f : families)
    {
        out += "# HELP " + f.name + ' ';
        for(char c : f.help)
            out += c == '\\' ? std::string("\\\\") : c == '\n' ? std::string("\\n") : std::string(1, c);
        out += "\n# TYPE " + f.name + type_names[static_cast<int>(f.kind)];
        if(f.kind == metric_kind::histogram)
        {
            auto const& h = f.histogram;
            for(auto const& [bound, n] : h.buckets)
                out += f.name + "_bucket{le=\"" + prometheus_number(bound) + "\"} " + std::to_string(n) + '\n';
            out += f.name + "_bucket{le=\"+Inf\"} " + std::to_string(h.count) + '\n';
            out += f.name + "_sum " + prometheus_number(h.sum) + '\n';
            out += f.name + "_count " + std::to_string(h.count) + '\n';
            continue;
        }
        for(auto const& [labels, value] : f.samples)
            out += f.name + (labels.empty() ? std::string() : '{' + labels + '}') + ' ' + std::to_string(value) + '\n';
    }
    return out;
}

/** Adds `more`'s samples to `into`'s: families by name, samples by labels,
    histograms bucket by bucket (families or samples `into` lacks are
    appended). The metrics of several servers that serve as one
    (`server_group`): their gauges count things each holds, so they add up too.
*/
inline void sum_metrics(std::vector<metric_family>& into, std::vector<metric_family> const& more)
{
    for(auto const& f : more)
    {
        auto same = std::find_if(into.begin(), into.end(), [&](metric_family const& g) { return g.name == f.name; });
        if(same == into.end() || same->kind != f.kind)
        {
            if(same == into.end())
                into.push_back(f);
            continue; // a kind that differs cannot be added: the first one seen stays
        }
        for(auto const& sample : f.samples)
        {
            auto s = std::find_if(same->samples.begin(), same->samples.end(),
                                  [&](auto const& x) { return x.first == sample.first; });
            if(s == same->samples.end())
                same->samples.push_back(sample);
            else
                s->second += sample.second;
        }
        auto& h = same->histogram;
        if(f.kind == metric_kind::histogram && h.buckets.size() == f.histogram.buckets.size())
        {
            for(std::size_t i = 0; i < h.buckets.size(); ++i)
                h.buckets[i].second += f.histogram.buckets[i].second;
            h.count += f.histogram.count;
            h.sum += f.histogram.sum;
        }
    }
}

} // namespace rtnotify::beast

#endif
