// rtnotify-conformance: a profile: what a server offers and the verdicts recorded for it, with the reason for each.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_PROFILE_HPP
#define RTNOTIFY_CONFORMANCE_PROFILE_HPP

#include "fixture.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace rtnotify_conformance {

/// A verdict recorded for one case, and why the server differs there.
struct profile_note
{
    std::string verdict; ///< fail, non-strict, informational or skipped
    std::string note;
};

/** What one server offers and how it fares: `conformance/profiles/NAME.json`,
    `{"name", "server", "features": [...], "verdicts": {CASE: {"verdict", "note"}}}`.
    A case it does not list is expected to pass, or to be skipped when it
    needs a feature the server does not offer.
*/
struct profile
{
    std::string name;
    std::string server;                ///< the server and configuration the verdicts were recorded with
    std::vector<std::string> features; ///< what it offers (see `known_features`)
    std::map<std::string, profile_note, std::less<>> verdicts;

    /// The verdict expected of `f` on this server.
    std::string expected(fixture const& f) const
    {
        if(auto it = verdicts.find(f.id); it != verdicts.end())
            return it->second.verdict;
        for(auto const& need : f.requires_features)
            if(std::find(features.begin(), features.end(), need) == features.end())
                return "skipped";
        return "pass";
    }

    /// The recorded note on `id` (empty: none).
    std::string note(std::string_view id) const
    {
        auto it = verdicts.find(id);
        return it == verdicts.end() ? std::string() : it->second.note;
    }
};

/// Reads a profile; on error, the key that is wrong and why.
inline std::variant<profile, std::string> read_profile(json::value const& v)
{
    auto const* o = v.if_object();
    if(!o)
        return std::string("a profile is a JSON object");
    static constexpr std::string_view known[] = {"name", "server", "features", "verdicts"};
    for(auto const& [k, x] : *o)
        if(std::find(std::begin(known), std::end(known), k) == std::end(known))
            return std::string(k) + ": unknown key";
    profile p;
    for(auto const* key : {"name", "server"})
    {
        auto const* s = o->if_contains(key);
        if(!s || !s->is_string() || s->as_string().empty())
            return std::string(key) + ": must be a non-empty string";
        (std::string_view(key) == "name" ? p.name : p.server) = std::string(s->as_string());
    }
    auto const* features = o->if_contains("features");
    if(!features || !features->is_array())
        return std::string("features: must be an array of feature names");
    for(auto const& x : features->as_array())
    {
        if(!x.is_string() || !is_known_feature(x.as_string()))
            return "features: " + (x.is_string() ? unknown_feature_message(x.as_string()) : "not a feature name: " + json::serialize(x));
        p.features.emplace_back(x.as_string());
    }
    auto const* verdicts = o->if_contains("verdicts");
    if(!verdicts || !verdicts->is_object())
        return std::string("verdicts: must map case ids to {\"verdict\", \"note\"}");
    for(auto const& [id, x] : verdicts->as_object())
    {
        auto const where = "verdicts." + std::string(id);
        auto const* n = x.if_object();
        auto const* verdict = n ? n->if_contains("verdict") : nullptr;
        auto const* note = n ? n->if_contains("note") : nullptr;
        if(!verdict || !verdict->is_string() || !note || !note->is_string() || note->as_string().empty() || n->size() != 2)
            return where + ": must be {\"verdict\", \"note\"}, the note saying why";
        auto const s = std::string(verdict->as_string());
        if(s != "fail" && s != "non-strict" && s != "informational" && s != "skipped")
            return where + ".verdict: must be fail, non-strict, informational or skipped (a pass is not recorded)";
        p.verdicts.emplace(std::string(id), profile_note{s, std::string(note->as_string())});
    }
    return p;
}

/// The first case `p` records that is not in `all`, named; empty when every one is.
inline std::optional<std::string> unknown_case(profile const& p, std::vector<fixture> const& all)
{
    for(auto const& [id, n] : p.verdicts)
        if(std::none_of(all.begin(), all.end(), [&, &id = id](fixture const& f) { return f.id == id; }))
            return "verdicts." + id + ": no such case";
    return std::nullopt;
}

/// `p` as JSON, in the shape `read_profile` reads.
inline json::object to_json(profile const& p)
{
    json::array features;
    for(auto const& f : p.features)
        features.emplace_back(f);
    json::object verdicts;
    for(auto const& [id, n] : p.verdicts)
        verdicts[id] = {{"verdict", n.verdict}, {"note", n.note}};
    return {{"name", p.name}, {"server", p.server}, {"features", std::move(features)}, {"verdicts", std::move(verdicts)}};
}

} // namespace rtnotify_conformance

#endif
