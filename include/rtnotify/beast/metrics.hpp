// The server's metrics, written in Prometheus' text exposition format.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_METRICS_HPP
#define RTNOTIFY_BEAST_METRICS_HPP

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rtnotify::beast {

/// One metric and its samples: a name, a help line, a type and a value per label set.
struct metric_family
{
    std::string name; ///< `[a-zA-Z_:][a-zA-Z0-9_:]*`
    std::string help;
    bool counter = false; ///< a counter (only grows); otherwise a gauge
    /// (labels, value): labels already written as `key="value",...` (empty: none).
    std::vector<std::pair<std::string, std::uint64_t>> samples;
};

/** `families` in Prometheus' text exposition format, version 0.0.4
    (https://prometheus.io/docs/instrumenting/exposition_formats/): a
    `# HELP` and a `# TYPE` line per family, then one line per sample;
    backslashes and line breaks in a help text are escaped.
*/
inline std::string prometheus_text(std::vector<metric_family> const& families)
{
    std::string out;
    for(auto const& f : families)
    {
        out += "# HELP " + f.name + ' ';
        for(char c : f.help)
            out += c == '\\' ? std::string("\\\\") : c == '\n' ? std::string("\\n") : std::string(1, c);
        out += "\n# TYPE " + f.name + (f.counter ? " counter\n" : " gauge\n");
        for(auto const& [labels, value] : f.samples)
            out += f.name + (labels.empty() ? std::string() : '{' + labels + '}') + ' ' + std::to_string(value) + '\n';
    }
    return out;
}

} // namespace rtnotify::beast

#endif
