// The server's metrics, written in Prometheus' text exposition format.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_METRICS_HPP
#define RTNOTIFY_BEAST_METRICS_HPP

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

} // namespace rtnotify::beast

#endif
