-- wrk: rotate through the public pages and API endpoints, one path per request.
local paths = {
  "/", "/organisations/", "/organisations/?q=privacy", "/organisations/?region=london",
  "/organisations/open-rights-group/", "/map/", "/map/geo/", "/map/network/",
  "/taxonomy/", "/taxonomy/consequences/data-privacy/", "/principles/",
  "/api/v1/organisations/", "/api/v1/organisations/?term=data-privacy",
  "/api/v1/organisations/full-fact/", "/api/v1/terms/", "/api/v1/stats/",
  "/api/v1/organisations/?format=geojson", "/api/v1/organisations/?format=csv",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
