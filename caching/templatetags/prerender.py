"""`{% per_request "name" %}…{% endper_request %}`: a part rendered on every request (see caching/prerender.py)."""

from django import template

from ..prerender import MARK

register = template.Library()


class PerRequestNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        nodes = getattr(context, "per_request_nodes", None)
        if nodes is None:
            # The page is rendered whole.
            return self.nodelist.render(context)
        name = self.name
        if nodes.get(name, self) is not self:
            # Two parts given one name (a partial included twice): keep them apart.
            name = f"{name}~{len(nodes)}"
        nodes[name] = self
        return MARK.format(name)


@register.tag
def per_request(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Use {% per_request "name" %}…{% endper_request %}.')
    nodelist = parser.parse(("endper_request",))
    parser.delete_first_token()
    return PerRequestNode(bits[1][1:-1], nodelist)
