// rtnotify-match: registers filters and matches documents, as JSON lines.
// SPDX-License-Identifier: BSL-1.0
//
//   rtnotify-match [--bench] FILTERS.jsonl DOCUMENTS.jsonl
//
// FILTERS.jsonl holds {"i":n,"filter":{...}} lines, DOCUMENTS.jsonl
// {"j":n,"doc":{...}} lines (other keys are ignored). Prints
// {"i":n,"error":"..."} for each refused filter, then {"j":n,"matches":[i,...]}
// per document, indices ascending. With --bench it prints one JSON line with
// the registration time and the documents matched per second instead.
// Filters with the same canonical form are registered once, as rooms are.
// Exit status: 0 done, 1 an input line could not be read, 2 usage error.
#include <rtnotify/rooms/canonical.hpp>
#include <rtnotify/rooms/filter.hpp>
#include <rtnotify/rooms/matcher.hpp>

#include "../input_file.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace json = boost::json;
namespace rooms = rtnotify::rooms;

namespace {

int usage()
{
    std::cerr << "usage: rtnotify-match [--bench] FILTERS.jsonl DOCUMENTS.jsonl\n";
    return 2;
}

/// The objects of a JSON-lines file that have `key` (an integer) and `payload`; bad lines are reported.
struct line_reader
{
    bool failed = false;

    std::vector<std::pair<std::int64_t, json::value>> read(char const* path, char const* key, char const* payload)
    {
        std::vector<std::pair<std::int64_t, json::value>> out;
        if(auto const why = rtnotify_examples::why_unreadable(path); !why.empty())
        {
            std::cerr << why << '\n';
            failed = true;
            return out;
        }
        std::ifstream in(path);
        std::size_t n = 0;
        for(std::string line; std::getline(in, line);)
        {
            ++n;
            if(line.find_first_not_of(" \t\r") == std::string::npos)
                continue;
            boost::system::error_code ec;
            auto v = json::parse(line, ec);
            auto const* o = ec ? nullptr : v.if_object();
            auto const* k = o ? o->if_contains(key) : nullptr;
            auto const* p = o ? o->if_contains(payload) : nullptr;
            if(!k || !k->is_int64() || !p)
            {
                std::cerr << path << ':' << n << ": not a {\"" << key << "\":n,\"" << payload << "\":...} line\n";
                failed = true;
                continue;
            }
            out.emplace_back(k->get_int64(), std::move(o->at(payload)));
        }
        return out;
    }
};

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string_view> args(argv + 1, argv + argc);
    bool bench = false;
    if(!args.empty() && (args[0] == "--help" || args[0] == "-h"))
        return usage(), 0;
    if(!args.empty() && args[0] == "--bench")
    {
        bench = true;
        args.erase(args.begin());
    }
    if(args.size() != 2)
        return usage();
    line_reader reader;
    auto filters = reader.read(argv[argc - 2], "i", "filter");
    auto documents = reader.read(argv[argc - 1], "j", "doc");

    using clock = std::chrono::steady_clock;
    rooms::matcher m;
    auto const t0 = clock::now();
    std::vector<std::pair<std::int64_t, std::string>> refused;
    std::unordered_map<std::string, std::uint64_t> room_of; // canonical text -> room
    std::vector<std::vector<std::int64_t>> members;         // room -> filter indices
    for(auto const& [i, f] : filters)
    {
        auto e = rooms::parse_filter(f);
        if(!e)
        {
            refused.emplace_back(i, e.error().to_string());
            continue;
        }
        auto [canonical, text] = rooms::canonicalize_with_text(std::move(*e));
        auto const [it, added] = room_of.emplace(std::move(text), members.size());
        if(added)
        {
            members.emplace_back();
            m.add_canonical(it->second, std::move(canonical));
        }
        members[it->second].push_back(i);
    }
    double const register_seconds = std::chrono::duration<double>(clock::now() - t0).count();

    std::vector<std::uint64_t> ids;
    if(bench)
    {
        std::vector<json::object> docs;
        for(auto const& [j, d] : documents)
            if(d.is_object())
                docs.push_back(d.get_object());
        if(docs.empty())
            return std::cerr << "no documents\n", 1;
        std::size_t n = 0, matched = 0;
        auto const t1 = clock::now();
        double elapsed = 0;
        while(elapsed < 3 || n < docs.size())
        {
            for(std::size_t k = 0; k < 1000; ++k, ++n)
            {
                ids.clear();
                m.match(rooms::flat_document(docs[n % docs.size()]), ids);
                matched += ids.size();
            }
            elapsed = std::chrono::duration<double>(clock::now() - t1).count();
        }
        json::object r{{"N", filters.size()},
                       {"refused", refused.size()},
                       {"rooms", members.size()},
                       {"registerSeconds", register_seconds},
                       {"registerMicrosPerFilter", register_seconds * 1e6 / double(std::max<std::size_t>(filters.size(), 1))},
                       {"docsTested", n},
                       {"matchSeconds", elapsed},
                       {"docsPerSec", double(n) / elapsed},
                       {"microsPerDoc", elapsed * 1e6 / double(n)},
                       {"avgMatchingFiltersPerDoc", double(matched) / double(n)}};
        std::cout << json::serialize(r) << '\n';
        return reader.failed ? 1 : 0;
    }
    for(auto const& [i, why] : refused)
        std::cout << json::serialize(json::object{{"i", i}, {"error", why}}) << '\n';
    for(auto const& [j, d] : documents)
    {
        ids.clear();
        if(auto const* o = d.if_object())
            m.match(rooms::flat_document(*o), ids);
        std::vector<std::int64_t> matched;
        for(auto const room : ids)
            matched.insert(matched.end(), members[room].begin(), members[room].end());
        std::sort(matched.begin(), matched.end());
        json::array a(matched.begin(), matched.end());
        std::cout << json::serialize(json::object{{"j", j}, {"matches", std::move(a)}}) << '\n';
    }
    return reader.failed ? 1 : 0;
}
