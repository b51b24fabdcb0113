// A console reporter that also prints, at the end of the run, each
// benchmark's throughput as a ratio of its baseline's: "X/input" is compared
// with "baseline_X/input", or else with "baseline_decode/input".
#ifndef RTNOTIFY_BENCH_RATIO_REPORTER_HPP
#define RTNOTIFY_BENCH_RATIO_REPORTER_HPP

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>

namespace rtnotify_bench {

class ratio_reporter : public benchmark::ConsoleReporter
{
public:
    void ReportRuns(std::vector<Run> const& runs) override
    {
        ConsoleReporter::ReportRuns(runs);
        for(auto const& r : runs)
            if(r.run_type == Run::RT_Iteration && !r.error_occurred)
                if(auto it = r.counters.find("bytes_per_second"); it != r.counters.end())
                    rates_[r.benchmark_name()] = it->second.value;
    }

    void Finalize() override
    {
        ConsoleReporter::Finalize();
        std::printf("\nthroughput ratios against the baseline of the same run:\n");
        for(auto const& [name, rate] : rates_)
        {
            if(name.rfind("baseline_", 0) == 0)
                continue;
            auto base = rates_.find("baseline_" + name);
            if(base == rates_.end())
                base = rates_.find("baseline_decode" + name.substr(name.find('/')));
            if(name.find('/') == std::string::npos || base == rates_.end())
                continue;
            std::printf("  %-40s %8.1f MB/s  %8.1f MB/s baseline  ratio %.2fx\n", name.c_str(), rate / 1e6,
                        base->second / 1e6, rate / base->second);
        }
    }

private:
    std::map<std::string, double> rates_;
};

/// Runs the registered benchmarks with the command line, reporting through `ratio_reporter`.
inline int run(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    if(benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    ratio_reporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}

} // namespace rtnotify_bench

#endif
