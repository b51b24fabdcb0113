// A document as filters see it: its fields by dotted path.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_DOCUMENT_HPP
#define RTNOTIFY_ROOMS_DOCUMENT_HPP

#include <rtnotify/detail/string_hash.hpp>

#include <boost/json/value.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rtnotify::rooms {

/** A document as filters see it: every field by its dotted path.

    Nested objects are walked (`{a:{b:1}}` has `a` and `a.b`); arrays are
    not (their elements are reached through `exists "f[v]"`, `match` and
    `select`). A key that contains a dot collides with the nested path of
    the same spelling: the one that comes later in the document wins, as in
    Koncorde. The values are views into the document, which must outlive
    this object.
*/
class flat_document
{
public:
    explicit flat_document(boost::json::object const& doc) { walk(doc, {}); }

    /// The value at `path`, or null when the document has no such field.
    boost::json::value const* find(std::string_view path) const
    {
        if(by_path_.empty())
        {
            for(auto const& [p, v] : fields_)
                if(p == path)
                    return v;
            return nullptr;
        }
        auto it = by_path_.find(path);
        return it == by_path_.end() ? nullptr : fields_[it->second].second;
    }

    /// Calls `f(path, value)` for every field, in document order.
    template<class F>
    void for_each(F&& f) const
    {
        for(auto const& [path, v] : fields_)
            f(std::string_view(path), *v);
    }

    std::size_t size() const noexcept { return fields_.size(); }

private:
    /// Up to this many fields, lookups scan a vector (faster than hashing for small documents).
    static constexpr std::size_t small = 16;

    void set(std::string path, boost::json::value const* v)
    {
        // a later key of the same spelling wins
        if(by_path_.empty() && fields_.size() < small)
        {
            for(auto& f : fields_)
                if(f.first == path)
                {
                    f.second = v;
                    return;
                }
            fields_.emplace_back(std::move(path), v);
            return;
        }
        if(by_path_.empty())
            for(std::size_t i = 0; i < fields_.size(); ++i)
                by_path_.emplace(fields_[i].first, i);
        auto const [it, added] = by_path_.emplace(path, fields_.size());
        if(!added)
            fields_[it->second].second = v;
        else
            fields_.emplace_back(std::move(path), v);
    }

    void walk(boost::json::object const& o, std::string const& prefix)
    {
        for(auto const& kv : o)
        {
            auto path = prefix.empty() ? std::string(kv.key()) : prefix + '.' + std::string(kv.key());
            auto const* inner = kv.value().if_object();
            if(inner)
            {
                set(path, &kv.value());
                walk(*inner, path);
            }
            else
                set(std::move(path), &kv.value());
        }
    }

    std::vector<std::pair<std::string, boost::json::value const*>> fields_;
    std::unordered_map<std::string, std::size_t, rtnotify::detail::string_hash, std::equal_to<>> by_path_; ///< built past `small` fields
};

} // namespace rtnotify::rooms

#endif
