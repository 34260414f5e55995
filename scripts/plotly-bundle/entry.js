'use strict';
// plotly.js with only what IKD Progress draws: scatter (lines, markers, filled outlines) and bar
// traces, with annotations, shapes, legend, hover and the toolbar. Built by `make plotly`
// (build.js leaves out what these never reach). The API is plot_api's, with toImage and
// downloadImage (the toolbar's camera), not validate, makeTemplate or validateTemplate.
var Registry = require('plotly.js/src/registry');
var plotApi = require('plotly.js/src/plot_api/plot_api');
var eraseActiveShape = require('plotly.js/src/components/shapes/draw').eraseActiveShape;
var getGraphDiv = require('plotly.js/src/lib/dom').getGraphDiv;

require('plotly.js/build/plotcss');

var api = {
    toImage: require('plotly.js/src/plot_api/to_image'),
    downloadImage: require('plotly.js/src/snapshot/download'),
    deleteActiveShape: function(gd) { return eraseActiveShape(getGraphDiv(gd)); }
};
Object.keys(plotApi).forEach(function(name) { api[name] = plotApi[name]; });

var Plotly = {version: require('plotly.js/src/version').version, register: Registry.register};
Object.keys(api).forEach(function(name) {
    if(name.charAt(0) !== '_') Plotly[name] = api[name];
    Registry.register({moduleType: 'apiMethod', name: name, fn: api[name]});
});
Registry.register([
    require('plotly.js/src/traces/scatter'),
    require('plotly.js/src/traces/bar'),
    require('plotly.js/src/components/annotations'),
    require('plotly.js/src/components/shapes'),
    require('plotly.js/src/components/legend'),
    require('plotly.js/src/components/fx'),
    require('plotly.js/src/components/modebar'),
    require('plotly.js/src/locale-en'),
    require('plotly.js/src/locale-en-us')
]);
module.exports = Plotly;
