// rtnotify-conformance: the table of public specification sections the cases cite (conformance/spec/anchors.json).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_SPEC_TABLE_HPP
#define RTNOTIFY_CONFORMANCE_SPEC_TABLE_HPP

#include "fixture.hpp"

#include <boost/json.hpp>

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace rtnotify_conformance {

/// A section of a public specification.
struct spec_anchor
{
    std::string title; ///< e.g. `Bayeux 1.0, /meta/handshake`
    std::string url;   ///< where anyone can read it
};

/// Anchors by key (`bayeux/handshake`), as a fixture's `spec` names them.
using spec_table = std::map<std::string, spec_anchor, std::less<>>;

/// Reads `{"anchors": {KEY: {"title": T, "url": U}}}`; on error, what and where.
inline std::variant<spec_table, std::string> read_spec_table(json::value const& v)
{
    auto const* root = v.if_object();
    auto const* anchors = root ? root->if_contains("anchors") : nullptr;
    if(!anchors || !anchors->is_object())
        return std::string("anchors: missing, or not an object");
    spec_table t;
    for(auto const& [key, a] : anchors->as_object())
    {
        auto const at = "anchors." + std::string(key);
        auto const* o = a.if_object();
        auto const* title = o ? o->if_contains("title") : nullptr;
        auto const* url = o ? o->if_contains("url") : nullptr;
        if(!title || !title->is_string() || !url || !url->is_string())
            return at + ": must be an object with the strings \"title\" and \"url\"";
        if(!url->as_string().starts_with("https://"))
            return at + ".url: must be an https:// address";
        t.emplace(std::string(key), spec_anchor{std::string(title->as_string()), std::string(url->as_string())});
    }
    return t;
}

/// Gives each fixture in `all` the title and address of the section its
/// `spec` names; the first that names none in `t`, with what is wrong.
inline std::optional<std::string> resolve_citations(std::vector<fixture>& all, spec_table const& t)
{
    for(auto& f : all)
    {
        auto const it = t.find(f.spec);
        if(it == t.end())
            return "fixture " + f.id + ": spec: \"" + f.spec + "\" is not in the table of spec anchors";
        f.spec_title = it->second.title;
        f.spec_url = it->second.url;
    }
    return std::nullopt;
}

} // namespace rtnotify_conformance

#endif
