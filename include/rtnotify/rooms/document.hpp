//
// rtnotify: header-only C++20 library for real-time notification protocols.
//
#ifndef RTNOTIFY_ROOMS_DOCUMENT_HPP
#define RTNOTIFY_ROOMS_DOCUMENT_HPP

#include <boost/json/value.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

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
        auto it = fields_.find(path);
        return it == fields_.end() ? nullptr : it->second;
    }

    /// Calls `f(path, value)` for every field, in no particular order.
    template<class F>
    void for_each(F&& f) const
    {
        for(auto const& [path, v] : fields_)
            f(std::string_view(path), *v);
    }

    std::size_t size() const noexcept { return fields_.size(); }

private:
    struct hash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };

    void walk(boost::json::object const& o, std::string const& prefix)
    {
        for(auto const& kv : o)
        {
            auto path = prefix.empty() ? std::string(kv.key()) : prefix + '.' + std::string(kv.key());
            fields_.insert_or_assign(path, &kv.value());
            if(auto const* inner = kv.value().if_object())
                walk(*inner, path);
        }
    }

    std::unordered_map<std::string, boost::json::value const*, hash, std::equal_to<>> fields_;
};

} // namespace rtnotify::rooms

#endif
